"""Recharge by Alipay, end to end through the real endpoints: the page, the pay
link, notifications signed as Alipay signs them, reconciliation and refunds
against a local gateway, and the ledger audit after each."""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.utils import timezone

from openwenku.market.models import LedgerEntry
from openwenku.market.selectors import balance_of
from openwenku.payments import services
from openwenku.payments.models import Credit, Order

from .conftest import APP_ID, notification, rsa2_verify, sign_notification, signing_string

NOTIFY = "/payments/alipay/notify"


def audit_clean() -> None:
    call_command("coins", "audit")  # raises CommandError when a wallet disagrees


def new_order(member, package) -> Order:
    return services.order_create(member=member, package_id=package.pk, provider="alipay")


def post(client, params) -> str:
    response = client.post(NOTIFY, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_recharge_is_hidden_until_a_provider_is_configured(member_client, package):
    assert member_client.get("/my/recharge/").status_code == 404
    assert member_client.post(NOTIFY, {"out_trade_no": "x"}).status_code == 404
    assert "/my/recharge/" not in member_client.get("/my/wallet/").content.decode()


@pytest.mark.django_db
def test_recharge_page_and_pay_links(member_client, member, package, alipay_on, keys):
    page = member_client.get("/my/recharge/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "60 金币" in html and "¥6.00" in html
    assert "/my/recharge/" in member_client.get("/my/wallet/").content.decode()

    # Computer website: the browser goes to the gateway with a page-pay request.
    response = member_client.post("/my/recharge/", {"package": package.pk, "provider": "alipay"})
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith(alipay_on.url + "?")
    params = dict(parse_qsl(urlsplit(url).query))
    biz = json.loads(params["biz_content"])
    order = Order.objects.get(member=member)
    assert params["method"] == "alipay.trade.page.pay"
    assert params["app_id"] == APP_ID
    assert params["notify_url"] == "http://testserver/payments/alipay/notify"
    assert params["return_url"] == f"http://testserver/my/recharge/{order.number}/"
    assert biz["out_trade_no"] == order.number and biz["total_amount"] == "6.00"
    assert biz["product_code"] == "FAST_INSTANT_TRADE_PAY"
    signature = params.pop("sign")
    assert rsa2_verify(keys.merchant_public_pem, signing_string(params, request=True), signature)
    assert order.state == "created" and order.amount_fen == 600 and order.coins == 66

    # A phone: mobile-website pay.
    response = member_client.post(
        "/my/recharge/",
        {"package": package.pk, "provider": "alipay"},
        headers={"user-agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Mobile/15E148"},
    )
    params = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert params["method"] == "alipay.trade.wap.pay"
    assert json.loads(params["biz_content"])["product_code"] == "QUICK_WAP_PAY"

    # Not a package on sale, not a configured provider: refused, nothing ordered.
    package.active = False
    package.save()
    bad = member_client.post("/my/recharge/", {"package": package.pk, "provider": "alipay"})
    assert bad.status_code == 400
    assert Order.objects.count() == 2


@pytest.mark.django_db
def test_good_notification_credits_once_and_duplicates_do_not(
    client, member_client, member, package, alipay_on, keys
):
    order = new_order(member, package)
    # The return page shows the state and credits nothing, whatever it is sent.
    returned = member_client.get(
        f"/my/recharge/{order.number}/", sign_notification(notification(order), keys.alipay)
    )
    assert returned.status_code == 200 and 'data-state="created"' in returned.content.decode()
    assert balance_of(member) == 0

    params = sign_notification(notification(order), keys.alipay)
    assert post(client, params) == "success"
    assert balance_of(member) == 66
    for _ in range(20):
        assert post(client, params) == "success"
    assert balance_of(member) == 66
    order.refresh_from_db()
    assert order.state == "credited" and order.provider_trade_no == params["trade_no"]
    assert Credit.objects.filter(order=order).count() == 1
    entries = LedgerEntry.objects.filter(wallet__user=member)
    assert [(e.kind, e.amount) for e in entries] == [("recharge", 66)]
    page = member_client.get(f"/my/recharge/{order.number}/").content.decode()
    assert 'data-state="credited"' in page
    # The database itself refuses a second credit of the order.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(
            order=order,
            entry=LedgerEntry.objects.create(
                wallet=entries[0].wallet, amount=1, balance_after=67, kind="recharge"
            ),
        )
    assert balance_of(member) == 66
    audit_clean()


def _bad_cases(order, keys):
    good = notification(order)
    tampered = sign_notification(good, keys.alipay)
    tampered["total_amount"] = "0.01"
    return {
        "no signature": {**good},
        "bad signature": {**sign_notification(good, keys.alipay), "sign": "AAAA" * 86},
        "tampered after signing": tampered,
        "signed by someone else": sign_notification(good, keys.stranger),
        "another app id": sign_notification({**good, "app_id": "2021999999999999"}, keys.alipay),
        "another seller": sign_notification({**good, "seller_id": "2088999999999999"}, keys.alipay),
        "changed amount": sign_notification({**good, "total_amount": "0.01"}, keys.alipay),
        "amount with more decimals": sign_notification(
            {**good, "total_amount": "6.001"}, keys.alipay
        ),
        "unknown order": sign_notification({**good, "out_trade_no": "R2026NOSUCH"}, keys.alipay),
        "no trade number": sign_notification({**good, "trade_no": ""}, keys.alipay),
    }


@pytest.mark.django_db
def test_every_bad_notification_is_refused_and_credits_nothing(
    client, member, package, alipay_on, keys, caplog
):
    order = new_order(member, package)
    for name, params in _bad_cases(order, keys).items():
        with caplog.at_level("WARNING", logger="openwenku.payments"):
            caplog.clear()
            assert post(client, params) == "failure", name
            assert caplog.records, f"{name}: not logged"
        assert balance_of(member) == 0, name
    order.refresh_from_db()
    assert order.state == "created" and not Credit.objects.exists()

    # Not paid yet: acknowledged, nothing credited.
    waiting = sign_notification(notification(order, trade_status="WAIT_BUYER_PAY"), keys.alipay)
    assert post(client, waiting) == "success"
    assert balance_of(member) == 0

    # Paid; then a replay of another trade for the same order is refused.
    assert post(client, sign_notification(notification(order), keys.alipay)) == "success"
    replay = sign_notification(
        notification(order, trade_no="2026120422009999999999999999"), keys.alipay
    )
    assert post(client, replay) == "failure"
    assert balance_of(member) == 66
    # A trade number already used by one order cannot pay another.
    other = new_order(member, package)
    stolen = sign_notification(notification(other), keys.alipay)
    assert post(client, stolen) == "failure"
    assert balance_of(member) == 66
    other.refresh_from_db()
    assert other.state == "created"
    audit_clean()


@pytest.mark.django_db
def test_late_notifications_flag_closed_and_expired_orders(
    client, member, package, alipay_on, keys, admin_client
):
    closed = new_order(member, package)
    Order.objects.filter(pk=closed.pk).update(state="closed", closed_at=timezone.now())
    assert post(client, sign_notification(notification(closed), keys.alipay)) == "success"
    closed.refresh_from_db()
    assert closed.state == "flagged" and balance_of(member) == 0

    expired = new_order(member, package)
    Order.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(hours=1))
    params = notification(expired, trade_no="2026120422001400000000000002")
    assert post(client, sign_notification(params, keys.alipay)) == "success"
    expired.refresh_from_db()
    assert expired.state == "flagged" and balance_of(member) == 0
    # Its retries change nothing.
    assert post(client, sign_notification(params, keys.alipay)) == "success"
    assert balance_of(member) == 0

    # An operator looks and credits one.
    response = admin_client.post(
        "/admin/payments/order/",
        {"action": "credit_flagged", "_selected_action": [expired.pk]},
        follow=True,
    )
    assert response.status_code == 200
    expired.refresh_from_db()
    assert expired.state == "credited" and balance_of(member) == 66
    audit_clean()


@pytest.mark.django_db
def test_reconcile_credits_a_lost_notification_and_closes_expired_orders(
    member, package, alipay_on
):
    paid = new_order(member, package)
    alipay_on.trades[paid.number] = {
        "trade_no": "2026120422001400000000000010",
        "trade_status": "TRADE_SUCCESS",
        "total_amount": "6.00",
    }
    waiting = new_order(member, package)
    alipay_on.trades[waiting.number] = {
        "trade_no": "2026120422001400000000000011",
        "trade_status": "WAIT_BUYER_PAY",
        "total_amount": "6.00",
    }
    never_opened = new_order(member, package)
    fresh = new_order(member, package)  # younger than --minutes: not asked about
    old = timezone.now() - dt.timedelta(hours=2)
    Order.objects.exclude(pk=fresh.pk).update(created_at=old, expires_at=old)
    # The paid one was paid in time; Alipay's own word is trusted for it.

    call_command("payments", "reconcile", "--minutes", "30")

    states = {o.number: o.state for o in Order.objects.all()}
    assert states == {
        paid.number: "credited",
        waiting.number: "closed",
        never_opened.number: "closed",
        fresh.number: "created",
    }
    assert balance_of(member) == 66
    methods = [m for m, _ in alipay_on.calls]
    assert methods.count("alipay.trade.query") == 3
    assert ("alipay.trade.close", {"out_trade_no": waiting.number}) in alipay_on.calls
    assert alipay_on.trades[waiting.number]["trade_status"] == "TRADE_CLOSED"
    # Run again: nothing more.
    call_command("payments", "reconcile", "--minutes", "30")
    assert balance_of(member) == 66
    audit_clean()


@pytest.mark.django_db
def test_refund_takes_unspent_coins_back_or_is_refused(
    client, member, package, alipay_on, keys, admin_client
):
    from openwenku.market import services as market

    order = new_order(member, package)
    trade = {"trade_no": "2026120422001400000000000020", "trade_status": "TRADE_SUCCESS"}
    alipay_on.trades[order.number] = {**trade, "total_amount": "6.00"}
    assert post(client, sign_notification(notification(order, **trade), keys.alipay)) == "success"
    assert balance_of(member) == 66

    # Coins spent: refused with the reason, nothing changed, Alipay not asked.
    market.coins_grant(user=member, amount=-10, reason="spent")
    response = admin_client.post(
        "/admin/payments/order/", {"action": "refund", "_selected_action": [order.pk]}, follow=True
    )
    assert "56" in response.content.decode()  # the balance in the refusal
    order.refresh_from_db()
    assert order.state == "credited" and balance_of(member) == 56
    assert not [c for c in alipay_on.calls if c[0] == "alipay.trade.refund"]

    # Alipay refuses: the coins stay with the member.
    market.coins_grant(user=member, amount=10, reason="back")
    alipay_on.refuse_refund = "ACQ.TRADE_HAS_FINISHED"
    response = admin_client.post(
        "/admin/payments/order/", {"action": "refund", "_selected_action": [order.pk]}, follow=True
    )
    assert "ACQ.TRADE_HAS_FINISHED" in response.content.decode()
    order.refresh_from_db()
    assert order.state == "credited" and balance_of(member) == 66

    # Unspent: taken back, money returned.
    alipay_on.refuse_refund = ""
    admin_client.post(
        "/admin/payments/order/", {"action": "refund", "_selected_action": [order.pk]}, follow=True
    )
    order.refresh_from_db()
    assert order.state == "refunded" and balance_of(member) == 0
    assert alipay_on.trades[order.number]["refund_fee"] == "6.00"
    # A late duplicate notification credits nothing again.
    assert post(client, sign_notification(notification(order, **trade), keys.alipay)) == "success"
    assert balance_of(member) == 0
    audit_clean()


@pytest.mark.django_db
def test_operators_order_list_has_totals_per_day(
    client, member, package, alipay_on, keys, admin_client
):
    for n in range(3):
        order = new_order(member, package)
        params = notification(order, trade_no=f"202612042200140000000000010{n}")
        assert post(client, sign_notification(params, keys.alipay)) == "success"
    new_order(member, package)  # unpaid: not in the totals
    page = admin_client.get("/admin/payments/order/?state__exact=credited")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="order-totals"' in html
    assert "18.00" in html and "198" in html


@pytest.mark.django_db
def test_operators_group_may_refund_and_a_plain_staff_account_may_not(client, django_user_model):
    from django.contrib.auth.models import Group

    staff = django_user_model.objects.create_user(
        username="ops", password="x-Passw0rd-1", is_staff=True
    )
    client.force_login(staff)
    assert client.get("/admin/payments/order/").status_code == 403
    staff.groups.add(Group.objects.get(name="Operators"))
    staff = django_user_model.objects.get(pk=staff.pk)
    assert staff.has_perm("payments.refund_order") and staff.has_perm("payments.view_order")
    assert client.get("/admin/payments/order/").status_code == 200


@pytest.mark.django_db
def test_reconcile_reports_orders_of_a_provider_no_longer_configured(
    member, package, alipay_on, settings
):
    from django.core.management.base import CommandError

    order = new_order(member, package)
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "PAYMENTS": {**settings.OPENWENKU["PAYMENTS"], "ALIPAY_APP_ID": ""},
    }
    with pytest.raises(CommandError, match="1 order"):
        call_command("payments", "reconcile", "--minutes", "0")
    order.refresh_from_db()
    assert order.state == "created"
