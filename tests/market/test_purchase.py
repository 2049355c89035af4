"""Buying: one transaction, commission split, idempotency, never twice,
clear refusals, refunds."""

import pytest

from openwenku.access.policy import access_for
from openwenku.market import services
from openwenku.market.models import LedgerEntry, MarketSettings, Purchase, Wallet
from openwenku.market.selectors import balance_of

from .conftest import grant, make_doc
from .test_ledger import assert_ledger_consistent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_purchase_moves_coins_with_commission(users):
    MarketSettings(commission_percent=30).save()
    doc = make_doc(users["uploader"], price=7)
    grant(users["buyer"], 10)
    result = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k1")
    assert result.created and result.balance == 3
    p = result.purchase
    assert (p.price, p.commission, p.seller_share) == (7, 2, 5)  # 30% of 7 = 2.1 → 2
    assert balance_of(users["buyer"]) == 3
    assert balance_of(users["uploader"]) == 5
    assert Wallet.objects.get(kind="platform").balance == 2
    kinds = sorted(LedgerEntry.objects.filter(purchase=p).values_list("kind", flat=True))
    assert kinds == ["commission", "purchase", "sale"]
    assert access_for(users["buyer"], doc).can_download
    assert_ledger_consistent()


def test_default_commission_is_zero(users):
    doc = make_doc(users["uploader"], price=5)
    grant(users["buyer"], 5)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    assert balance_of(users["uploader"]) == 5
    assert not Wallet.objects.filter(kind="platform").exists()


def test_retry_with_same_key_changes_nothing_and_answers_the_same(users):
    doc = make_doc(users["uploader"], price=4)
    grant(users["buyer"], 10)
    first = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="same")
    again = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="same")
    assert not again.created and again.purchase.pk == first.purchase.pk
    assert again.balance == 6
    # A new key for a document already bought: no second charge either.
    other = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="new")
    assert not other.created and other.purchase.pk == first.purchase.pk
    assert balance_of(users["buyer"]) == 6
    assert Purchase.objects.count() == 1
    # The key belongs to that document.
    doc2 = make_doc(users["uploader"], price=1)
    with pytest.raises(services.IdempotencyConflict):
        services.purchase_create(buyer=users["buyer"], document=doc2, idempotency_key="same")


def test_unaffordable_purchase_is_refused_with_balance_and_price(users):
    doc = make_doc(users["uploader"], price=12)
    grant(users["buyer"], 5)
    with pytest.raises(services.InsufficientCoins) as exc:
        services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    assert "5" in exc.value.message and "12" in exc.value.message
    assert Purchase.objects.count() == 0 and balance_of(users["buyer"]) == 5


def test_uploader_operator_and_free_documents_are_not_sold(users):
    doc = make_doc(users["uploader"], price=3)
    for who in ("uploader", "operator"):
        grant(users[who], 5)
        with pytest.raises(services.MarketRefused):
            services.purchase_create(buyer=users[who], document=doc, idempotency_key="k")
        assert access_for(users[who], doc).can_download
    free = make_doc(users["uploader"], price=0)
    with pytest.raises(services.MarketRefused):
        services.purchase_create(buyer=users["buyer"], document=free, idempotency_key="k")


def test_price_changed_since_the_page_was_shown(users):
    doc = make_doc(users["uploader"], price=3)
    grant(users["buyer"], 10)
    with pytest.raises(services.MarketRefused, match="5"):
        doc.price = 5
        doc.save()
        services.purchase_create(
            buyer=users["buyer"], document=doc, idempotency_key="k", expected_price=3
        )
    assert balance_of(users["buyer"]) == 10


def test_refund_returns_coins_and_access(users):
    MarketSettings(commission_percent=20).save()
    doc = make_doc(users["uploader"], price=10)
    grant(users["buyer"], 10)
    p = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k").purchase
    services.purchase_refund(purchase=p, by=users["operator"], reason="文档与描述不符")
    assert balance_of(users["buyer"]) == 10
    assert balance_of(users["uploader"]) == 0
    assert Wallet.objects.get(kind="platform").balance == 0
    assert not access_for(users["buyer"], doc).can_download
    with pytest.raises(services.MarketRefused):
        services.purchase_refund(purchase=p, by=users["operator"], reason="again")
    # Bought again after a refund: a new purchase, paid once more.
    again = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k2")
    assert again.created and balance_of(users["buyer"]) == 0
    assert_ledger_consistent()


def test_refund_refused_when_the_uploader_spent_the_coins(users):
    doc = make_doc(users["uploader"], price=10)
    spend = make_doc(users["other"], price=10)
    grant(users["buyer"], 10)
    p = services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k").purchase
    services.purchase_create(buyer=users["uploader"], document=spend, idempotency_key="k")
    with pytest.raises(services.MarketRefused):
        services.purchase_refund(purchase=p, by=users["operator"], reason="x")
    assert access_for(users["buyer"], doc).can_download
    assert_ledger_consistent()


def test_buy_page_flow(client, users):
    doc = make_doc(users["uploader"], price=6, pages=12)
    grant(users["buyer"], 4)
    client.force_login(users["buyer"])
    # Download of a priced document: the buy page, not the file.
    response = client.get(f"/doc/{doc.pk}/download")
    assert response.status_code == 402
    html = response.content.decode()
    assert "6" in html and "4" in html
    response = client.post(f"/doc/{doc.pk}/buy", {"idempotency_key": "abc", "expected_price": 6})
    assert response.status_code == 402
    assert "4" in response.content.decode() and "6" in response.content.decode()
    grant(users["buyer"], 10)
    response = client.post(f"/doc/{doc.pk}/buy", {"idempotency_key": "abc", "expected_price": 6})
    assert response.status_code == 302
    response = client.post(f"/doc/{doc.pk}/buy", {"idempotency_key": "abc", "expected_price": 6})
    assert response.status_code == 302
    assert balance_of(users["buyer"]) == 8
    response = client.get(f"/doc/{doc.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_purchase_api(client, users):
    doc = make_doc(users["uploader"], price=6)
    grant(users["buyer"], 5)
    client.force_login(users["buyer"])
    body = {"document_id": doc.pk, "idempotency_key": "api-1", "expected_price": 6}
    response = client.post("/api/market/purchases", body, content_type="application/json")
    assert response.status_code == 402
    assert response.json()["code"] == "insufficient_balance"
    assert response.json()["balance"] == 5 and response.json()["price"] == 6
    grant(users["buyer"], 5)
    response = client.post("/api/market/purchases", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["balance"] == 4
    response = client.post(
        "/api/market/purchases",
        {"document_id": doc.pk, "expected_price": 6},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="api-1",
    )
    assert response.status_code == 200 and response.json()["id"] == Purchase.objects.get().pk
    assert client.get("/api/market/wallet").json()["balance"] == 4
    assert [p["document_id"] for p in client.get("/api/market/purchases").json()] == [doc.pk]
