"""The paywall: hidden pages' images, text and URLs are refused everywhere."""

import pytest

from openwenku.access import paywall
from openwenku.access.policy import access_for
from openwenku.access.selectors import public_text, visible_text
from openwenku.market import services
from openwenku.market.models import MarketSettings

from .conftest import grant, make_doc, page_urls, reader_page_urls

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def priced(users):
    return make_doc(users["uploader"], price=8, pages=12, preview_pages=3)


def _buy(users, doc):
    grant(users["buyer"], doc.price)
    return services.purchase_create(
        buyer=users["buyer"], document=doc, idempotency_key="k"
    ).purchase


def test_document_page_shows_only_free_pages_and_what_is_left(client, priced):
    for url in (priced.get_absolute_url(), priced.get_absolute_url() + "?page=7&pages=all"):
        html = client.get(url).content.decode()
        assert sorted(page_urls(html)) == [1, 2, 3]
        assert "还剩9页未读" in html
        assert "PAGE3TEXT" in html and "PAGE4TEXT" not in html
        for n in range(4, 13):
            assert f"/page/{n}" not in html
            assert f"第{n}页" not in html


def test_free_document_shows_everything(client, users):
    doc = make_doc(users["uploader"], price=0, pages=4)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert sorted(page_urls(html)) == [1, 2, 3, 4]
    assert "全部预览完了" in html and "未读" not in html


def test_site_default_preview_pages(client, users):
    doc = make_doc(users["uploader"], price=2, pages=12)
    assert sorted(reader_page_urls(client, doc)) == list(range(1, 11))
    MarketSettings(default_preview_pages=2).save()
    html = client.get(doc.get_absolute_url()).content.decode()
    assert sorted(page_urls(html)) == [1, 2] and "还剩10页未读" in html


def test_page_images_need_a_valid_signed_url(client, priced):
    urls = page_urls(client.get(priced.get_absolute_url()).content.decode())
    response = client.get(urls[1])
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "max-age" in response["Cache-Control"]
    # The bare path, a forged signature, another page's signature, an expired URL.
    assert client.get(f"/doc/{priced.pk}/page/1").status_code == 404
    assert client.get(urls[1][:-4] + "AAAA").status_code == 404
    assert client.get(urls[2].replace("/page/2", "/page/5")).status_code == 404
    expired = paywall.page_image_url(priced, 1, None, free=True, now=0)
    assert client.get(expired).status_code == 404
    # Even a correctly signed URL for a hidden page is refused to a reader without the right.
    signed_hidden = paywall.page_image_url(priced, 5, None, free=True)
    assert client.get(signed_hidden).status_code == 404


def test_buyer_sees_all_pages_with_urls_bound_to_them(client, users, priced):
    _buy(users, priced)
    client.force_login(users["buyer"])
    html = client.get(priced.get_absolute_url()).content.decode()
    urls = reader_page_urls(client, priced)
    assert sorted(urls) == list(range(1, 13))
    assert "未读" not in html and "PAGE12TEXT" in html
    response = client.get(urls[9])
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    # Handed to someone else, the URL is useless.
    client.force_login(users["other"])
    assert client.get(urls[9]).status_code == 404
    client.logout()
    assert client.get(urls[9]).status_code == 404


def test_refund_revokes_cached_urls(client, users, priced):
    purchase = _buy(users, priced)
    client.force_login(users["buyer"])
    urls = reader_page_urls(client, priced)
    assert client.get(urls[10]).status_code == 200
    services.purchase_refund(purchase=purchase, by=users["operator"], reason="退款")
    assert client.get(urls[10]).status_code == 404
    assert client.get(urls[2]).status_code == 200  # free pages stay free


def test_lowering_the_preview_revokes_free_urls(client, users, priced):
    urls = page_urls(client.get(priced.get_absolute_url()).content.decode())
    services.pricing_set(document=priced, by=users["uploader"], price=8, preview_pages=1)
    assert client.get(urls[3]).status_code == 404
    assert client.get(urls[1]).status_code == 200


def test_api_never_returns_hidden_text(client, users, priced):
    body = client.get(f"/api/market/documents/{priced.pk}/pages").json()
    assert [p["number"] for p in body["pages"]] == [1, 2, 3]
    assert body["hidden_pages"] == 9 and body["needs"] == "purchase"
    raw = client.get(f"/api/market/documents/{priced.pk}/pages").content.decode()
    assert "PAGE4TEXT" not in raw and "page/4" not in raw
    assert "PAGE" not in client.get(f"/api/documents/{priced.pk}").content.decode()
    # The signed URLs in the API work.
    assert client.get(body["pages"][0]["image_url"]).status_code == 200
    _buy(users, priced)
    client.force_login(users["buyer"])
    body = client.get(f"/api/market/documents/{priced.pk}/pages").json()
    assert len(body["pages"]) == 12 and body["pages"][11]["text"].endswith("PAGE12TEXT")


def test_visible_text_for_search_and_meta(users, priced):
    text = public_text(priced)
    assert "PAGE3TEXT" in text and "PAGE4TEXT" not in text
    assert "PAGE12TEXT" not in visible_text(priced, access_for(users["other"], priced))
    _buy(users, priced)
    assert "PAGE12TEXT" in visible_text(priced, access_for(users["buyer"], priced))


def test_free_documents_may_need_an_account(client, users):
    doc = make_doc(users["uploader"], price=0, pages=3, preview_pages=1)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert sorted(page_urls(html)) == [1] and "还剩2页未读" in html
    assert client.get(f"/doc/{doc.pk}/download").status_code == 302
    client.force_login(users["other"])
    assert sorted(page_urls(client.get(doc.get_absolute_url()).content.decode())) == [1, 2, 3]
    client.logout()
    MarketSettings(free_download_requires_login=False).save()
    assert client.get(f"/doc/{doc.pk}/download").status_code == 200


def test_document_page_query_count_does_not_grow_with_pages(
    client, users, django_assert_max_num_queries
):
    small = make_doc(users["uploader"], price=8, pages=2, preview_pages=1)
    large = make_doc(users["uploader"], price=8, pages=30, preview_pages=1)
    _buy(users, large)
    grant(users["buyer"], 8)
    services.purchase_create(buyer=users["buyer"], document=small, idempotency_key="k2")
    client.force_login(users["buyer"])
    client.get(small.get_absolute_url())  # settle session and caches
    client.get(large.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(small.get_absolute_url())
    with django_assert_max_num_queries(len(few)):
        html = client.get(large.get_absolute_url()).content.decode()
    assert len(page_urls(html)) == 8  # the first pages; the reader fetches the rest:
    with django_assert_max_num_queries(len(few)):
        batch = client.get(f"/doc/{large.pk}/pages.json", {"from": 9}).json()["pages"]
    assert [p["number"] for p in batch] == list(range(9, 25))


def test_a_page_without_its_image_file_is_a_404_not_a_500(client, priced):
    """A page whose image is missing (not rendered, or lost from storage) answers 404."""
    from openwenku.documents.models import DocumentPage

    urls = page_urls(client.get(priced.get_absolute_url()).content.decode())
    DocumentPage.objects.filter(document=priced, number=2).update(image="")
    assert client.get(urls[2]).status_code == 404
    page = DocumentPage.objects.get(document=priced, number=1)
    page.image.storage.delete(page.image.name)
    assert client.get(urls[1]).status_code == 404
    type(priced).objects.filter(pk=priced.pk).update(cover="covers/gone.webp")
    assert client.get(f"/doc/{priced.pk}/cover.webp").status_code == 404
