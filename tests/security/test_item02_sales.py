"""Issue 11, item 2: sale income cannot be cashed out at once. It is
withdrawable only after the hold (OPENWENKU_SALE_HOLD_DAYS); a sale paid with
coins the buyer mostly farmed as rewards is flagged for an operator, stays out
of the withdrawable balance, and counts once the operator clears it."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from openwenku.documents.signals import document_published
from openwenku.market import services
from openwenku.market.models import MarketSettings, Purchase
from openwenku.market.selectors import earned_available, pending_sales_of
from tests.market.conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def rules(settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "SALE_HOLD_DAYS": 7,
        "SALE_REVIEW_REWARD_PERCENT": 50,
        "REWARD_DAILY_CAP": 1000,
        "MIN_TEXT_CHARS": 300,
    }
    MarketSettings(min_withdrawal=1, upload_reward=4, signin_reward=2).save()


def _age(purchase, days):
    """Move a sale into the past (the hold is counted from the purchase)."""
    Purchase.objects.filter(pk=purchase.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days)
    )


def test_item02_fresh_sale_is_not_withdrawable_until_the_hold_passes(users):
    seller, buyer = users["uploader"], users["buyer"]
    doc = make_doc(seller, price=30)
    grant(buyer, 30)  # an operator's grant, not rewards: no review
    purchase = services.purchase_create(buyer=buyer, document=doc, idempotency_key="k").purchase
    assert purchase.review == ""
    assert earned_available(seller) == 0
    with pytest.raises(services.MarketRefused):
        services.withdrawal_request(user=seller, amount=30, account="支付宝", idempotency_key="w")
    pending = pending_sales_of(seller)
    assert pending.on_hold == 30 and pending.under_review == 0
    assert pending.next_release_at == purchase.created_at + dt.timedelta(days=7)
    # The wallet page says so, and when.
    web = Client()
    web.force_login(seller)
    page = web.get("/my/wallet/").content.decode()
    assert 'id="sales-on-hold"' in page
    assert timezone.localtime(pending.next_release_at).strftime("%Y-%m-%d") in page
    _age(purchase, 6)
    assert earned_available(seller) == 0
    _age(purchase, 8)
    assert earned_available(seller) == 30
    assert pending_sales_of(seller).on_hold == 0
    result = services.withdrawal_request(
        user=seller, amount=30, account="支付宝", idempotency_key="w"
    )
    assert result.created


def test_item02_farmed_coins_purchase_is_flagged_until_an_operator_clears_it(users):
    puppet, accomplice, operator = users["buyer"], users["uploader"], users["operator"]
    # The sock puppet farms 10 coins: a sign-in and two uploads.
    services.signin_claim(user=puppet)
    for title in ("a.pdf", "b.pdf"):
        doc = make_doc(puppet, title=title, text_chars=5000)
        document_published.send(sender=None, document_id=doc.pk)
    priced = make_doc(accomplice, price=10)
    purchase = services.purchase_create(
        buyer=puppet, document=priced, idempotency_key="farm"
    ).purchase
    assert purchase.review == "flagged"
    assert "100%" in purchase.review_reason
    _age(purchase, 30)  # long past the hold: still not withdrawable
    assert earned_available(accomplice) == 0
    assert pending_sales_of(accomplice).under_review == 10
    web = Client()
    web.force_login(accomplice)
    assert 'id="sales-under-review"' in web.get("/my/wallet/").content.decode()
    # The operator checks it in the admin and clears it.
    web.force_login(operator)
    listing = web.get("/admin/market/purchase/?review__exact=flagged").content.decode()
    assert f"/admin/market/purchase/{purchase.pk}/change/" in listing
    response = web.post(
        "/admin/market/purchase/",
        {"action": "clear_review", "_selected_action": [purchase.pk]},
    )
    assert response.status_code == 302
    purchase.refresh_from_db()
    assert (purchase.review, purchase.reviewed_by) == ("cleared", operator)
    assert earned_available(accomplice) == 10


def test_item02_mostly_earned_coins_are_not_flagged(users):
    seller, buyer = users["uploader"], users["buyer"]
    services.signin_claim(user=buyer)  # 2 reward coins ...
    grant(buyer, 18)  # ... among 20
    doc = make_doc(seller, price=15)
    purchase = services.purchase_create(buyer=buyer, document=doc, idempotency_key="k").purchase
    assert purchase.review == ""
    _age(purchase, 8)
    assert earned_available(seller) == 15


def test_item02_only_operators_clear_a_sale(users):
    services.signin_claim(user=users["buyer"])
    doc = make_doc(users["uploader"], price=2)
    purchase = services.purchase_create(
        buyer=users["buyer"], document=doc, idempotency_key="k"
    ).purchase
    from openwenku.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.sale_review_clear(purchase=purchase, by=users["uploader"])
    # Staff status alone is not the permission to clear sales.
    users["uploader"].is_staff = True
    users["uploader"].save(update_fields=["is_staff"])
    with pytest.raises(Forbidden):
        services.sale_review_clear(purchase=purchase, by=users["uploader"])
    services.sale_review_clear(purchase=purchase, by=users["operator"])
    with pytest.raises(services.MarketRefused):
        services.sale_review_clear(purchase=purchase, by=users["operator"])
