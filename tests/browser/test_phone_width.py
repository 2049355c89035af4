"""At a phone's 390 px no page of the site scrolls sideways (issue 14), the pages the
moderation, copyright, VIP and token work added included, for a reader, a member and an
operator."""

import os

import pytest
from django.contrib.auth.models import Group

from tests.market.conftest import make_doc

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

PASSWORD = "s3cret-Passw0rd"
ANONYMOUS = [
    "/",
    "/search?q=核电厂",
    "/copyright/notice/",
    "/accounts/login/",
    "/accounts/register/",
]
MEMBER = [
    "/upload/",
    "/my/documents/",
    "/my/wallet/",
    "/my/earnings/",
    "/my/withdraw/",
    "/my/vip/",
    "/my/tokens/",
    "/notifications/",
    "/accounts/profile/",
]
OPERATOR = ["/manage/review/", "/manage/reports/", "/manage/audit/", "/manage/notices/"]


def _too_wide(page, base: str, paths: list[str]) -> list[str]:
    wide = []
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, (path, response.status)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append(f"{path}: {width}px")
    return wide


def _log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()


def test_no_page_scrolls_sideways_at_390px(page, live_server, transactional_db, django_user_model):
    member = django_user_model.objects.create_user("member", "m@example.com", PASSWORD)
    operator = django_user_model.objects.create_user("operator", "o@example.com", PASSWORD)
    operator.groups.add(Group.objects.get_or_create(name="Operators")[0])
    from django.contrib.auth.models import Permission

    operator.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["moderation", "audit", "documents"],
        )
    )
    doc = make_doc(member, pages=3, title="核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）")
    page.set_viewport_size({"width": 390, "height": 844})
    wide = _too_wide(page, live_server.url, [*ANONYMOUS, doc.get_absolute_url()])
    _log_in(page, live_server.url, "member")
    wide += _too_wide(page, live_server.url, MEMBER)
    page.context.clear_cookies()
    _log_in(page, live_server.url, "operator")
    wide += _too_wide(page, live_server.url, OPERATOR)
    assert wide == [], "pages wider than the phone:\n" + "\n".join(wide)
