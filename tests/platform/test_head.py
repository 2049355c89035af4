"""Issue 14: HEAD is answered wherever GET is (crawlers and link checkers use it)."""

import pytest

from openwenku.documents.models import Category
from tests.search.conftest import make_doc  # noqa: F401  (a fixture)


@pytest.fixture
def urls(db, categories, make_doc):  # noqa: F811  (a fixture)
    category = Category.objects.filter(parent__isnull=True).first()
    document = make_doc("高等数学期末复习", ["极限与连续"], category=category)
    return [
        "/",
        document.get_absolute_url(),
        "/search?q=x",
        category.get_absolute_url(),
        "/robots.txt",
        "/healthz",
        "/api/docs",
        "/api/openapi.json",
        f"/api/documents/{document.pk}",
    ]


def test_head_answers_200_without_body_where_get_does(client, urls):
    for url in urls:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url
        assert head["Content-Type"] == get["Content-Type"], url


@pytest.mark.django_db
def test_head_of_a_missing_document_is_404_not_405(client):
    assert client.head("/doc/999999.html").status_code == 404


@pytest.mark.django_db
def test_post_still_refused_where_only_get_is_meant(client):
    assert client.post("/search?q=x").status_code == 405


@pytest.mark.django_db
def test_head_of_pages_that_also_take_posts(member_client, member, make_doc, django_user_model):  # noqa: F811
    """HEAD of a page with a form shows the page's headers; it never acts as a POST."""
    owner = django_user_model.objects.create_user(username="zhang", password="x-Passw0rd-1")
    priced = make_doc("考研真题", ["真题"], price=5, owner=owner)
    mine = make_doc("我的笔记", ["笔记"])
    for url in (
        "/upload/",
        f"/doc/{priced.pk}/buy",
        f"/doc/{priced.pk}/report",
        f"/doc/{mine.pk}/edit",
        f"/doc/{mine.pk}/pricing",
        "/my/withdraw/",
        "/my/tokens/",
        "/accounts/profile/",
        "/accounts/password/change/",
    ):
        get, head = member_client.get(url), member_client.head(url)
        assert (get.status_code, head.status_code) == (200, 200), url
        assert head.content == b"", url
    assert not priced.purchases.exists()
