"""Issue 13 in a real browser: a new member's upload is held ("审核中"), an operator
ticks it in the review queue (the "select all" box) and approves it, and the page
is public."""

import os

import pytest
from django.contrib.auth.models import Permission

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

TEXT = "机器学习是人工智能的一个分支，研究计算机如何从数据中学习规律。" * 20


def _login(page, live_server, username, next_url):
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")


def test_upload_held_reviewed_public(
    page, live_server, background_worker, member, django_user_model, settings, tmp_path
):
    settings.OPENWENKU = {**settings.OPENWENKU, "REVIEW_POLICY": "new_members"}
    operator = django_user_model.objects.create_user(
        "op", "op@example.com", "s3cret-Passw0rd", is_staff=True
    )
    operator.user_permissions.add(Permission.objects.get(codename="review_document"))
    source = tmp_path / "机器学习讲义.txt"
    source.write_text(TEXT, encoding="utf-8")
    page.set_default_timeout(90_000)

    _login(page, live_server, "wangxm", "/upload/")
    page.set_input_files("input[type=file]", [str(source)])
    page.click("#upload-form button[type=submit]")
    held = page.locator("#upload-list .upload-item.is-held")
    held.wait_for()
    assert "审核中" in held.inner_text()
    held.locator("a").click()
    page.wait_for_selector("#under-review")
    assert "审核中" in page.inner_text("#under-review")
    url = page.url

    page.context.clear_cookies()
    assert page.goto(url).status == 404  # nobody else sees it

    _login(page, live_server, "op", "/manage/review/")
    assert "机器学习讲义" in page.inner_text("main")
    page.check("input[data-select-all]")  # site.js ticks every document
    assert page.locator("input[name=ids]").first.is_checked()
    page.click("button[name=action][value=approve]")
    page.wait_for_selector(".messages")
    assert "已通过并发布 1 份文档" in page.inner_text(".messages")

    page.context.clear_cookies()
    assert page.goto(url).status == 200
    assert "机器学习讲义" in page.inner_text("h1.doc-title")
