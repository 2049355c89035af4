"""A member recharges by WeChat Pay on a phone in a real browser: chooses a
package, sees the QR code, and watches the order page turn to credited once
WeChat Pay's notification arrives (the page reloads itself; strict CSP)."""

import os

import pytest
from django.test import Client

from tests.payments.conftest import fake_wechat, wechat_on, wx_keys  # noqa: F401  (fixtures)

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.mark.django_db(transaction=True)
def test_recharge_by_wechat_on_a_phone(page, live_server, member, wechat_on, wx_keys):  # noqa: F811
    from openwenku.market.selectors import balance_of
    from openwenku.payments.models import CoinPackage, Order
    from tests.payments.conftest import wx_headers, wx_notification_body, wx_paid

    CoinPackage.objects.create(name="小包", price_fen=100, coins=10, position=2)
    CoinPackage.objects.create(name="60 金币", price_fen=600, coins=60, bonus_coins=6, position=1)
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.set_default_timeout(30_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/my/recharge/")
    page.fill("input[name=username]", "wangxm")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/my/recharge/")

    assert "充值" in page.inner_text("h1")
    names = page.locator(".package-name").all_inner_texts()
    assert names == ["60 金币", "小包"]
    assert "另赠 6" in page.inner_text(".packages")
    # One column on a phone.
    boxes = [b.bounding_box() for b in page.locator(".package").all()]
    assert boxes[0]["x"] == boxes[1]["x"] and boxes[0]["width"] > 300
    page.check("input[name=provider][value=wechat]")
    page.click("#recharge-form button[type=submit]")
    page.wait_for_selector("#pay-qr")
    # The QR image loads after the page: wait for it (polling; the CSP forbids the eval
    # wait_for_function uses).
    for _ in range(100):
        if page.locator("#pay-qr").evaluate("img => img.complete && img.naturalWidth > 0"):
            break
        page.wait_for_timeout(100)
    assert page.locator("#pay-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    assert "待支付" in page.inner_text("#order-state")

    order = Order.objects.get(member=member)
    body = wx_notification_body(wx_paid(order))
    answer = Client().post(
        "/payments/wechat/notify",
        data=body,
        content_type="application/json",
        headers=wx_headers(wx_keys.platform, body),
    )
    assert answer.status_code == 204
    page.locator("#order[data-state=credited]").wait_for(timeout=20_000)
    assert "已到账" in page.inner_text("#order-state")
    assert balance_of(member) == 66
    assert violations == []
