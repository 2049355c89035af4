"""Issue 11, item 15: covers follow the access rules, the buy API wants the price
the buyer saw, and absurd integers in query strings never answer 500."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from openwenku.documents.models import Category
from tests.market.conftest import webp_bytes

from .conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

HUGE = str(10**20)


def _with_cover(doc):
    doc.cover.save("cover.webp", ContentFile(webp_bytes()), save=True)
    return doc


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_item15_cover_of_unpublished_document_is_private(users):
    doc = _with_cover(make_doc(users["uploader"], status="converting"))
    response = _client(users["uploader"]).get(f"/doc/{doc.pk}/cover.webp")
    assert response.status_code == 200
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    # Published: a shared cache may keep it.
    doc.status = "ready"
    doc.save(update_fields=["status"])
    response = _client().get(f"/doc/{doc.pk}/cover.webp")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]


def test_item15_cover_hidden_when_no_free_page(users):
    doc = _with_cover(make_doc(users["uploader"], price=5, preview_pages=0, title="付费文档"))
    assert _client().get(f"/doc/{doc.pk}/cover.webp").status_code == 404
    assert _client(users["other"]).get(f"/doc/{doc.pk}/cover.webp").status_code == 404
    # Those who may read page 1 still see it.
    assert _client(users["uploader"]).get(f"/doc/{doc.pk}/cover.webp").status_code == 200
    grant(users["buyer"], 10)
    buyer = _client(users["buyer"])
    body = {"document_id": doc.pk, "idempotency_key": "k", "expected_price": 5}
    assert (
        buyer.post("/api/market/purchases", body, content_type="application/json").status_code
        == 201
    )
    assert buyer.get(f"/doc/{doc.pk}/cover.webp").status_code == 200
    # A priced document with a free preview keeps its cover for everyone.
    previewed = _with_cover(make_doc(users["uploader"], price=5, preview_pages=1))
    assert _client().get(f"/doc/{previewed.pk}/cover.webp").status_code == 200


def test_item15_cards_show_a_placeholder_instead_of_a_hidden_cover(users, categories):
    category = Category.objects.filter(parent__isnull=True).first()
    hidden = _with_cover(
        make_doc(users["uploader"], price=5, preview_pages=0, title="无预览文档", category=category)
    )
    shown = _with_cover(make_doc(users["uploader"], price=5, preview_pages=1, category=category))
    for url in ("/", f"/c/{category.slug}/"):
        html = _client().get(url).content.decode()
        assert f"/doc/{hidden.pk}/cover.webp" not in html, url
        assert "无预览文档" in html, url
        assert f"/doc/{shown.pk}/cover.webp" in html, url
    # The uploader may see page 1: the cover is shown to them.
    html = _client(users["uploader"]).get("/").content.decode()
    assert f"/doc/{hidden.pk}/cover.webp" in html


def test_item15_buy_api_requires_expected_price(users):
    doc = make_doc(users["uploader"], price=3)
    grant(users["buyer"], 10)
    client = _client(users["buyer"])
    body = {"document_id": doc.pk, "idempotency_key": "k1"}
    response = client.post("/api/market/purchases", body, content_type="application/json")
    assert response.status_code == 422
    body["expected_price"] = 3
    response = client.post("/api/market/purchases", body, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    "url",
    [
        f"/search?q=报告&page={HUGE}",
        f"/search?q=报告&page=-{HUGE}",
        "/search?q=报告&category=" + "9" * 60,
        f"/search?q=报告&pages_min={HUGE}&pages_max=-{HUGE}",
        "/c/{slug}/?page=" + HUGE,
        "/c/{slug}/?page=" + "9" * 60,
        "/search?q=报告&category=²",
        "/search/suggest?q=" + "9" * 60,
        "/my/wallet/?page=" + HUGE,
        "/my/earnings/?days=" + HUGE,
        "/doc/{pk}/page/1?e=" + HUGE + "&r=" + HUGE + "&s=x",
    ],
)
def test_item15_huge_integers_in_web_query_strings(users, categories, url):
    doc = make_doc(users["uploader"], title="季度报告")
    slug = Category.objects.filter(parent__isnull=True).first().slug
    response = _client(users["uploader"]).get(url.format(slug=slug, pk=doc.pk))
    assert response.status_code in (200, 400, 404), response.status_code


@pytest.mark.parametrize(
    "url",
    [
        f"/api/documents/mine?page={HUGE}",
        f"/api/documents/mine?page=-{HUGE}",
        f"/api/market/ledger?page={HUGE}",
        f"/api/market/purchases?page={HUGE}",
        f"/api/market/withdrawals?page={HUGE}",
        f"/api/search?q=报告&page={HUGE}",
        "/api/search?q=报告&category=" + "9" * 60,
    ],
)
def test_item15_huge_integers_in_api_query_strings(users, url):
    grant(users["uploader"], 1)
    make_doc(users["uploader"], title="季度报告")
    response = _client(users["uploader"]).get(url)
    assert response.status_code in (200, 400, 404, 422), response.status_code


def test_item15_buy_form_requires_expected_price(users):
    """The web buy form, like the API, charges only the price the buyer saw."""
    doc = make_doc(users["uploader"], price=4)
    grant(users["buyer"], 10)
    client = _client(users["buyer"])
    blind = client.post(f"/doc/{doc.pk}/buy", {"idempotency_key": "k-blind"})
    assert blind.status_code == 400
    assert not doc.purchases.exists()
    seen = client.post(f"/doc/{doc.pk}/buy", {"idempotency_key": "k-seen", "expected_price": 4})
    assert seen.status_code == 302 and doc.purchases.count() == 1
