"""A member buys a VIP plan with coins and takes a priced document with a VIP
download, in a real browser (strict CSP: no violation on the way)."""

import os

import pytest

from openwenku.market import services
from openwenku.market.models import VipPlan
from openwenku.market.selectors import balance_of

from ..market.conftest import make_doc
from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_vip_plan_and_download_in_a_browser(page, live_server, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    page.set_default_timeout(30_000)
    base = live_server.url
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    member = django_user_model.objects.create_user(username="vipfan", password="s3cret-Passw0rd")
    uploader = django_user_model.objects.create_user(username="author", password="x")
    VipPlan.objects.create(name="月卡", days=30, price_coins=100, downloads_per_day=2)
    services.coins_grant(user=member, amount=100, reason="test")
    doc = make_doc(uploader, price=8, pages=5, title="机械原理复习资料.pdf")

    page.goto(f"{base}/accounts/login/?next=/my/vip/")
    page.fill("input[name=username]", "vipfan")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/my/vip/")
    assert "您还不是 VIP 会员" in page.inner_text("#vip-status")
    with page.expect_navigation():
        page.click("#vip-plans button[type=submit]")
    assert page.inner_text("#vip-plan") == "月卡"
    assert page.inner_text("#vip-left") == "2"

    page.goto(base + doc.get_absolute_url())
    button = page.locator("#vip-download button")
    assert button.inner_text() == "VIP 下载（今日剩余 2 次）"
    with page.expect_download() as info:
        button.click()
    assert info.value.suggested_filename == "机械原理复习资料.pdf"
    page.goto(f"{base}/my/vip/")
    assert page.inner_text("#vip-left") == "1"
    assert balance_of(member) == 0 and balance_of(uploader) == 4
    assert violations == []
