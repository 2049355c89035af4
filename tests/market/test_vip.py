"""VIP membership (issue 15): plans bought with coins or granted after a
payment, VIP downloads within a daily quota, the uploader paid from the
site's wallet, and the ledger balanced through all of it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from openwenku.access.policy import access_for
from openwenku.market import services
from openwenku.market.models import (
    LedgerEntry,
    MarketSettings,
    Purchase,
    VipGrant,
    VipMembership,
    VipPlan,
    Wallet,
)
from openwenku.market.selectors import (
    balance_of,
    earned_available,
    pending_sales_of,
    vip_status,
)

from .conftest import age_sales, grant, make_doc
from .test_ledger import assert_ledger_consistent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def site_balance() -> int:
    site = Wallet.objects.filter(kind=Wallet.Kind.PLATFORM)
    return site.values_list("balance", flat=True).first() or 0


def audit_clean() -> None:
    """The ledger is consistent, and the operators' audit command agrees."""
    assert_ledger_consistent()
    call_command("coins", "audit")


@pytest.fixture
def plans():
    month = VipPlan.objects.create(
        name="月卡", days=30, price_coins=100, price_fen=1500, downloads_per_day=3
    )
    year = VipPlan.objects.create(
        name="年卡",
        days=365,
        price_coins=900,
        price_fen=12800,
        downloads_per_day=5,
        discount_percent=50,
        position=1,
    )
    return {"month": month, "year": year}


def test_buy_a_plan_with_coins(users, plans):
    buyer = users["buyer"]
    grant(buyer, 150)
    before = timezone.now()
    grant_row, created = services.vip_buy(user=buyer, plan=plans["month"], idempotency_key="k1")
    assert created and grant_row.coins == 100
    assert balance_of(buyer) == 50 and site_balance() == 100
    membership = VipMembership.objects.get(user=buyer)
    assert membership.plan == plans["month"]
    assert before <= membership.starts_at <= timezone.now()
    assert membership.ends_at - membership.starts_at == dt.timedelta(days=30)
    # A retry with the same key moves nothing.
    again, created = services.vip_buy(user=buyer, plan=plans["month"], idempotency_key="k1")
    assert not created and again.pk == grant_row.pk
    assert balance_of(buyer) == 50 and VipGrant.objects.count() == 1
    # Not enough coins: refused, nothing changes, the balance never goes negative.
    with pytest.raises(services.InsufficientCoins):
        services.vip_buy(user=buyer, plan=plans["month"], idempotency_key="k2")
    assert balance_of(buyer) == 50 and VipGrant.objects.count() == 1
    kinds = sorted(LedgerEntry.objects.filter(kind="vip_purchase").values_list("amount", flat=True))
    assert kinds == [-100, 100]
    audit_clean()


def test_plan_not_for_coins_is_refused(users, plans):
    VipPlan.objects.filter(pk=plans["month"].pk).update(active=False)
    grant(users["buyer"], 500)
    with pytest.raises(services.MarketRefused):
        services.vip_buy(user=users["buyer"], plan=plans["month"], idempotency_key="x")
    money_only = VipPlan.objects.create(name="仅现金", days=7, price_coins=0, price_fen=300)
    with pytest.raises(services.MarketRefused):
        services.vip_buy(user=users["buyer"], plan=money_only, idempotency_key="y")
    assert balance_of(users["buyer"]) == 500
    assert not VipMembership.objects.exists()


def test_buying_again_extends_from_the_current_end(users, plans):
    buyer = users["buyer"]
    grant(buyer, 1000)
    services.vip_buy(user=buyer, plan=plans["month"], idempotency_key="a")
    first_end = VipMembership.objects.get(user=buyer).ends_at
    services.vip_buy(user=buyer, plan=plans["year"], idempotency_key="b")
    membership = VipMembership.objects.get(user=buyer)
    assert membership.ends_at == first_end + dt.timedelta(days=365)
    assert membership.plan == plans["year"]  # the latest plan's quota and discount apply
    # An ended membership starts again from now, not from its old end.
    VipMembership.objects.filter(user=buyer).update(
        starts_at=timezone.now() - dt.timedelta(days=400),
        ends_at=timezone.now() - dt.timedelta(days=2),
    )
    grant(buyer, 100)
    before = timezone.now()
    services.vip_buy(user=buyer, plan=plans["month"], idempotency_key="c")
    membership = VipMembership.objects.get(user=buyer)
    assert membership.starts_at >= before
    assert membership.ends_at - membership.starts_at == dt.timedelta(days=30)
    assert balance_of(buyer) == 0
    audit_clean()


def test_vip_grant_is_idempotent_per_reference(users, plans):
    member = users["buyer"]
    grant_row, created = services.vip_grant(
        member, plans["year"], source=VipGrant.Source.PAYMENT, reference="WK202612040001"
    )
    assert created
    end = VipMembership.objects.get(user=member).ends_at
    for _ in range(3):
        again, created = services.vip_grant(
            member, plans["year"], source="payment", reference="WK202612040001"
        )
        assert not created and again.pk == grant_row.pk
    assert VipMembership.objects.get(user=member).ends_at == end
    assert VipGrant.objects.count() == 1
    # The sale funds the site's wallet with the plan's coin price; the member pays no coins.
    assert site_balance() == 900 and balance_of(member) == 0
    # The same reference for another member is a conflict, not a second grant.
    with pytest.raises(services.IdempotencyConflict):
        services.vip_grant(
            users["other"], plans["year"], source="payment", reference="WK202612040001"
        )
    # Another order extends from the current end.
    services.vip_grant(member, plans["month"], source="payment", reference="WK202612040002")
    assert VipMembership.objects.get(user=member).ends_at == end + dt.timedelta(days=30)
    audit_clean()


def test_vip_download_pays_the_uploader_from_the_site_and_counts(users, plans, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "VIP_PAYOUT_PERCENT": 40}
    MarketSettings(commission_percent=0).save()
    member, uploader = users["buyer"], users["uploader"]
    grant(member, 100)
    services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")
    doc = make_doc(uploader, price=10, pages=4)
    assert not access_for(member, doc).can_download
    assert vip_status(member).left_today == 3

    result = services.vip_download(user=member, document=doc, idempotency_key="d1")
    assert result.created and result.purchase.via_vip
    assert result.purchase.price == 0 and result.purchase.vip_payout == 4
    assert balance_of(member) == 0  # free on this plan
    assert balance_of(uploader) == 4  # 40 % of 10 coins
    assert site_balance() == 100 - 4
    payout = LedgerEntry.objects.get(wallet__user=uploader, kind="vip_payout")
    assert payout.amount == 4 and payout.document_id == doc.pk
    # The member keeps the document like a buyer; a retry moves nothing.
    assert access_for(member, doc).can_download
    again = services.vip_download(user=member, document=doc, idempotency_key="d1")
    assert not again.created and again.purchase.pk == result.purchase.pk
    status = vip_status(member)
    assert status.used_today == 1 and status.left_today == 2
    assert balance_of(uploader) == 4
    # The payout is sale income: held like a sale, then withdrawable.
    assert earned_available(uploader) == 0 and pending_sales_of(uploader).on_hold == 4
    age_sales()
    assert earned_available(uploader) == 4
    audit_clean()


def test_discounted_plan_charges_the_member_the_rest(users, plans, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "VIP_PAYOUT_PERCENT": 50}
    member, uploader = users["buyer"], users["uploader"]
    grant(member, 905)
    services.vip_buy(user=member, plan=plans["year"], idempotency_key="y")  # 50 % off
    doc = make_doc(uploader, price=9)
    result = services.vip_download(user=member, document=doc, idempotency_key="d")
    assert result.purchase.price == 5  # 9 - 9 * 50 // 100
    assert balance_of(member) == 0
    assert balance_of(uploader) == 4  # 9 * 50 // 100
    assert site_balance() == 900 + 5 - 4
    audit_clean()


def test_quota_used_up_falls_back_to_buying(users, plans):
    member, uploader = users["buyer"], users["uploader"]
    grant(member, 100)
    services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")  # 3 a day
    docs = [make_doc(uploader, price=6, title=f"资料{i}.pdf") for i in range(4)]
    for i, doc in enumerate(docs[:3]):
        assert services.vip_download(user=member, document=doc, idempotency_key=f"d{i}").created
    assert vip_status(member).left_today == 0
    with pytest.raises(services.VipUnavailable, match="3"):
        services.vip_download(user=member, document=docs[3], idempotency_key="d3")
    assert not access_for(member, docs[3]).can_download
    # The normal purchase still works.
    grant(member, 6)
    bought = services.purchase_create(buyer=member, document=docs[3], idempotency_key="buy")
    assert bought.created and not bought.purchase.via_vip
    assert balance_of(member) == 0
    # Yesterday's VIP downloads do not count today.
    Purchase.objects.filter(via_vip=True).update(created_at=timezone.now() - dt.timedelta(days=1))
    assert vip_status(member).left_today == 3
    audit_clean()


def test_no_vip_downloads_without_a_running_plan(users, plans):
    member, uploader = users["buyer"], users["uploader"]
    doc = make_doc(uploader, price=5)
    with pytest.raises(services.VipUnavailable):
        services.vip_download(user=member, document=doc, idempotency_key="a")
    grant(member, 100)
    services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")
    VipMembership.objects.filter(user=member).update(
        starts_at=timezone.now() - dt.timedelta(days=31),
        ends_at=timezone.now() - dt.timedelta(seconds=1),
    )
    assert not vip_status(member).active and vip_status(member).left_today == 0
    with pytest.raises(services.VipUnavailable):
        services.vip_download(user=member, document=doc, idempotency_key="b")
    assert not Purchase.objects.exists()
    assert balance_of(uploader) == 0
    audit_clean()


def test_site_wallet_short_refuses_the_vip_download(users, plans):
    member = users["buyer"]
    # An operator's gift funds nothing: the site cannot pay the uploader.
    services.vip_grant(member, plans["month"], source="operator", reference="gift-1")
    doc = make_doc(users["uploader"], price=10)
    with pytest.raises(services.VipUnavailable):
        services.vip_download(user=member, document=doc, idempotency_key="a")
    assert not Purchase.objects.exists()
    audit_clean()


def test_refund_of_a_vip_download_takes_the_payout_back(users, plans):
    member, uploader = users["buyer"], users["uploader"]
    grant(member, 904)
    services.vip_buy(user=member, plan=plans["year"], idempotency_key="y")
    doc = make_doc(uploader, price=8)
    result = services.vip_download(user=member, document=doc, idempotency_key="d")
    assert (result.purchase.price, result.purchase.vip_payout) == (4, 4)
    services.purchase_refund(purchase=result.purchase, by=users["operator"], reason="测试退款")
    assert balance_of(member) == 4 and balance_of(uploader) == 0 and site_balance() == 900
    assert not access_for(member, doc).can_download
    audit_clean()


def test_vip_page_and_document_page(client, users, plans):
    member = users["buyer"]
    grant(member, 120)
    client.force_login(member)
    html = client.get("/my/vip/").content.decode()
    assert "月卡" in html and "年卡" in html and 'id="vip-none"' in html
    assert "您还不是 VIP 会员" in html and "用金币开通" in html
    response = client.post("/my/vip/", {"plan": plans["month"].pk, "idempotency_key": "page-1"})
    assert response.status_code == 302
    html = client.get("/my/vip/").content.decode()
    assert 'id="vip-plan">月卡<' in html and 'id="vip-left">3<' in html
    ends_at = timezone.localtime(VipMembership.objects.get(user=member).ends_at)
    assert ends_at.strftime("%Y-%m-%d %H:%M") in html
    assert balance_of(member) == 20
    # Not enough coins for the year: the page says so and nothing is taken.
    response = client.post("/my/vip/", {"plan": plans["year"].pk, "idempotency_key": "page-2"})
    assert response.status_code == 402 and 'id="vip-error"' in response.content.decode()
    assert balance_of(member) == 20
    assert "<script>" not in html and "style=" not in html  # strict CSP: nothing inline

    # The document page offers a VIP download with the quota left.
    doc = make_doc(users["uploader"], price=7, pages=12)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert 'id="vip-download"' in html
    assert "VIP 下载（今日剩余 3 次）" in html
    response = client.post(f"/doc/{doc.pk}/vip-download", {"idempotency_key": "v1"})
    assert response.status_code == 302 and response["Location"].endswith(f"/doc/{doc.pk}/download")
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    html = client.get("/my/vip/").content.decode()
    assert 'id="vip-left">2<' in html
    audit_clean()


def test_quota_used_up_on_the_web_offers_the_purchase(client, users, plans):
    member = users["buyer"]
    grant(member, 100)
    services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")
    docs = [make_doc(users["uploader"], price=6, title=f"资料{i}.pdf") for i in range(4)]
    for i, doc in enumerate(docs[:3]):
        services.vip_download(user=member, document=doc, idempotency_key=f"d{i}")
    grant(member, 6)
    client.force_login(member)
    html = client.get(docs[3].get_absolute_url()).content.decode()
    assert 'id="vip-download"' not in html
    response = client.post(f"/doc/{docs[3].pk}/vip-download", {"idempotency_key": "v"})
    assert response.status_code == 409
    html = response.content.decode()
    assert f'action="/doc/{docs[3].pk}/buy"' in html  # the normal purchase is offered
    assert 'id="vip-quota-used"' in html


@pytest.mark.django_db(transaction=True)
def test_concurrent_vip_downloads_cannot_pass_the_quota(users, plans):
    """Ten VIP downloads of ten documents at once with a quota of three: three succeed."""
    from .test_concurrency import run_concurrently

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    member, uploader = users["buyer"], users["uploader"]
    grant(member, 100)
    services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")
    docs = [make_doc(uploader, price=10, pages=1, title=f"并发{i}.pdf") for i in range(10)]
    results = run_concurrently(
        10,
        lambda i: services.vip_download(user=member, document=docs[i], idempotency_key=f"c{i}"),
    )
    ok = [r for good, r in results if good]
    refused = [r for good, r in results if not good]
    assert len(ok) == 3 and all(r.created for r in ok)
    assert len(refused) == 7 and all(isinstance(e, services.VipUnavailable) for e in refused)
    assert Purchase.objects.filter(buyer=member, via_vip=True).count() == 3
    assert balance_of(uploader) == 3 * 5
    assert site_balance() == 100 - 15
    audit_clean()


def test_plan_bought_with_recent_rewards_puts_payouts_under_review(users, plans):
    """Sock-puppet farming: a plan paid with reward coins must not turn into an
    accomplice's withdrawable income before an operator has looked."""
    member, uploader = users["buyer"], users["uploader"]
    services.coins_add(user=member, amount=100, kind=LedgerEntry.Kind.SIGNIN_REWARD)
    grant_row, _ = services.vip_buy(user=member, plan=plans["month"], idempotency_key="m")
    assert grant_row.review_reason
    doc = make_doc(uploader, price=10)
    result = services.vip_download(user=member, document=doc, idempotency_key="d")
    assert result.purchase.review == Purchase.Review.FLAGGED
    assert pending_sales_of(uploader).under_review == 5
    age_sales()
    assert earned_available(uploader) == 0
    services.sale_review_clear(purchase=result.purchase, by=users["operator"])
    assert earned_available(uploader) == 5
    audit_clean()


def test_operators_manage_plans_in_the_admin(client, users, plans):
    client.force_login(users["operator"])
    assert "月卡" in client.get("/admin/market/vipplan/").content.decode()
    response = client.post(
        "/admin/market/vipplan/add/",
        {
            "name": "季卡",
            "days": 90,
            "price_coins": 280,
            "price_fen": 3800,
            "downloads_per_day": 4,
            "discount_percent": 100,
            "active": "on",
            "position": 2,
        },
    )
    assert response.status_code == 302
    assert VipPlan.objects.get(name="季卡").days == 90
    services.vip_grant(users["buyer"], plans["month"], source="operator", reference="gift")
    assert "gift" in client.get("/admin/market/vipgrant/").content.decode()
    assert client.get("/admin/market/vipmembership/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_for_one_order_grant_once(users, plans):
    """A payment notification delivered ten times at once extends the plan once."""
    from .test_concurrency import run_concurrently

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    member = users["buyer"]
    results = run_concurrently(
        10,
        lambda i: services.vip_grant(
            member, plans["month"], source="payment", reference="WK-CONCURRENT-1"
        ),
    )
    assert all(good for good, _ in results), results
    assert sum(1 for _, (_, created) in results if created) == 1
    assert VipGrant.objects.count() == 1
    membership = VipMembership.objects.get(user=member)
    assert membership.ends_at - membership.starts_at == dt.timedelta(days=30)
    assert site_balance() == 100
    audit_clean()
