"""Recharge by WeChat Pay (API v3, Native): the QR code on the page, signed and
encrypted notifications posted to the real endpoint, reconciliation and refunds
against a local API server that signs its answers as WeChat Pay does."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from openwenku.market.selectors import balance_of
from openwenku.payments import services
from openwenku.payments.models import Credit, Order

from .conftest import wx_headers, wx_notification_body, wx_paid

NOTIFY = "/payments/wechat/notify"


def new_order(member, package) -> Order:
    return services.order_create(member=member, package_id=package.pk, provider="wechat")


def deliver(client, body: str, headers: dict) -> int:
    return client.post(
        NOTIFY, data=body, content_type="application/json", headers=headers
    ).status_code


@pytest.mark.django_db
def test_native_pay_draws_the_code_on_the_order_page(member_client, member, package, wechat_on):
    page = member_client.get("/my/recharge/").content.decode()
    assert "微信支付" in page and 'value="wechat"' in page and 'value="alipay"' not in page
    response = member_client.post("/my/recharge/", {"package": package.pk, "provider": "wechat"})
    order = Order.objects.get(member=member)
    assert response.status_code == 302 and response["Location"] == f"/my/recharge/{order.number}/"
    assert order.code_url == "weixin://wxpay/bizpayurl?pr=TEST1234"
    (_method, path, body) = wechat_on.calls[0]
    assert path == "/v3/pay/transactions/native"
    assert body["out_trade_no"] == order.number and body["amount"] == {
        "total": 600,
        "currency": "CNY",
    }
    assert body["notify_url"] == "http://testserver/payments/wechat/notify"

    html = member_client.get(response["Location"]).content.decode()
    assert 'id="pay-qr"' in html and "payments/order.js" in html and "<script>" not in html
    qr = member_client.get(f"/my/recharge/{order.number}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert b"<svg" in qr.content
    # Someone else's order: not found.
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user(username="li", password="x-Passw0rd-1")
    member_client.force_login(other)
    assert member_client.get(f"/my/recharge/{order.number}/qr.svg").status_code == 404


@pytest.mark.django_db
def test_good_notification_credits_once(client, member, package, wechat_on, wx_keys):
    order = new_order(member, package)
    body = wx_notification_body(wx_paid(order))
    headers = wx_headers(wx_keys.platform, body)
    assert deliver(client, body, headers) == 204
    assert balance_of(member) == 66
    for _ in range(20):
        assert deliver(client, body, headers) == 204
    assert balance_of(member) == 66
    order.refresh_from_db()
    assert order.state == "credited"
    assert order.provider_trade_no == "4200000000202612040000000001"
    assert Credit.objects.filter(order=order).count() == 1
    call_command("coins", "audit")


@pytest.mark.django_db
def test_every_bad_notification_is_refused(client, member, package, wechat_on, wx_keys, caplog):
    order = new_order(member, package)
    good = wx_paid(order)
    body = wx_notification_body(good)
    cases = {
        "bad signature": (
            body,
            {**wx_headers(wx_keys.platform, body), "Wechatpay-Signature": "AAAA"},
        ),
        "signed by someone else": (body, wx_headers(wx_keys.stranger, body)),
        "body changed after signing": (
            body.replace("TRANSACTION.SUCCESS", "TRANSACTION.SUCCEZ"),
            wx_headers(wx_keys.platform, body),
        ),
        "stale (replayed later)": (
            body,
            wx_headers(wx_keys.platform, body, timestamp=int(time.time()) - 3600),
        ),
        "no signature type": (
            body,
            {
                k: v
                for k, v in wx_headers(wx_keys.platform, body).items()
                if k != "Wechatpay-Signature-Type"
            },
        ),
    }
    for name, resource in {
        "another key": None,
        "another app id": {**good, "appid": "wx0000000000000000"},
        "another merchant": {**good, "mchid": "1900009999"},
        "changed amount": {**good, "amount": {"total": 1, "payer_total": 1, "currency": "CNY"}},
        "another currency": {**good, "amount": {"total": 600, "currency": "USD"}},
        "unknown order": {**good, "out_trade_no": "R2026NOSUCH"},
    }.items():
        if resource is None:
            b = wx_notification_body(good, apiv3_key="X" * 32)
        else:
            b = wx_notification_body(resource)
        cases[name] = (b, wx_headers(wx_keys.platform, b))
    for name, (b, h) in cases.items():
        caplog.clear()
        with caplog.at_level("WARNING", logger="openwenku.payments"):
            assert deliver(client, b, h) == 400, name
            assert caplog.records, f"{name}: not logged"
        assert balance_of(member) == 0, name
    # Not paid: acknowledged, nothing credited.
    b = wx_notification_body({**good, "trade_state": "NOTPAY"})
    assert deliver(client, b, wx_headers(wx_keys.platform, b)) == 204
    assert balance_of(member) == 0
    order.refresh_from_db()
    assert order.state == "created" and not Credit.objects.exists()

    # A late payment of a closed order is flagged, not credited.
    Order.objects.filter(pk=order.pk).update(state="closed")
    assert deliver(client, body, wx_headers(wx_keys.platform, body)) == 204
    order.refresh_from_db()
    assert order.state == "flagged" and balance_of(member) == 0
    call_command("coins", "audit")


@pytest.mark.django_db
def test_reconcile_and_refund(client, member, package, wechat_on, wx_keys, admin_client):
    paid = new_order(member, package)
    wechat_on.trades[paid.number] = wx_paid(paid, transaction_id="4200000000202612040000000077")
    unpaid = new_order(member, package)
    wechat_on.trades[unpaid.number] = {**wx_paid(unpaid), "trade_state": "NOTPAY"}
    ghost = new_order(member, package)  # its Native code was never asked for
    old = timezone.now() - dt.timedelta(hours=1)
    Order.objects.update(created_at=old, expires_at=old)

    call_command("payments", "reconcile", "--minutes", "10")
    paid.refresh_from_db()
    unpaid.refresh_from_db()
    assert paid.state == "credited" and paid.provider_trade_no == "4200000000202612040000000077"
    assert unpaid.state == "closed"
    assert Order.objects.get(pk=ghost.pk).state == "closed"
    closes = [p for m, p, _ in wechat_on.calls if p.endswith("/close")]
    assert closes == [f"/v3/pay/transactions/out-trade-no/{unpaid.number}/close"]
    assert wechat_on.trades[unpaid.number]["trade_state"] == "CLOSED"
    assert balance_of(member) == 66

    admin_client.post(
        "/admin/payments/order/", {"action": "refund", "_selected_action": [paid.pk]}, follow=True
    )
    paid.refresh_from_db()
    assert paid.state == "refunded" and balance_of(member) == 0
    assert wechat_on.trades[paid.number]["refund"] == 600
    call_command("coins", "audit")


@pytest.mark.django_db
def test_h5_pay_on_a_phone_when_enabled(member_client, member, package, wechat_on, settings):
    phone = {"user-agent": "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36"}
    form = {"package": package.pk, "provider": "wechat"}
    # Not enabled: a phone gets the QR code page too.
    response = member_client.post("/my/recharge/", form, headers=phone)
    assert response["Location"].startswith("/my/recharge/R")
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "PAYMENTS": {**settings.OPENWENKU["PAYMENTS"], "WECHAT_H5": True},
    }
    response = member_client.post("/my/recharge/", form, headers=phone)
    assert response.status_code == 302
    assert response["Location"].startswith("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?")
    order = Order.objects.filter(member=member).order_by("-id").first()
    assert (
        "redirect_url=http%3A%2F%2Ftestserver%2Fmy%2Frecharge%2F" + order.number
        in response["Location"]
    )
    _m, path, body = wechat_on.calls[-1]
    assert path == "/v3/pay/transactions/h5"
    assert body["scene_info"] == {"payer_client_ip": "127.0.0.1", "h5_info": {"type": "Wap"}}
    # A computer still gets the QR code.
    response = member_client.post("/my/recharge/", form)
    assert response["Location"].startswith("/my/recharge/R")
