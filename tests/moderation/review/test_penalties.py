"""Issue 13, penalties: an upload ban refuses uploads everywhere with its reason
and end, and expires by itself; a withdrawal freeze refuses withdrawals; both are
shown on the member's page; imposing and lifting are audited and notified."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from openwenku.accounts.models import Penalty
from openwenku.audit.models import AuditEntry
from openwenku.documents.models import Document
from openwenku.moderation.services import penalty_impose
from openwenku.notifications.models import Notification

from .conftest import TEXT, token_for, upload_txt

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def banned(member, operator):
    return penalty_impose(
        member=member, kind=Penalty.Kind.UPLOAD_BAN, reason="多次上传广告", days=7, by=operator
    )


def test_upload_ban_refuses_web_api_and_import_with_reason_and_end(
    client, member, banned, tmp_path
):
    end = timezone.localtime(banned.ends_at).strftime("%Y-%m-%d %H:%M")
    client.force_login(member)
    form = client.get("/upload/").content.decode()
    assert "多次上传广告" in form and end in form
    web = upload_txt(client, tmp_path, TEXT)
    assert web.status_code == 400
    error = web.json()["errors"][0]
    assert "多次上传广告" in error and end in error
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(member, 'read', 'upload')}"}
    client.logout()
    api = client.post(
        "/api/documents", {"file": SimpleUploadedFile("a.txt", TEXT.encode())}, **auth
    )
    assert api.status_code == 403
    body = api.json()
    assert body["code"] == "upload_banned" and body["reason"] == "多次上传广告"
    assert body["ends_at"] == banned.ends_at.isoformat() and end in body["detail"]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(TEXT, encoding="utf-8")
    out = StringIO()
    call_command("import", str(tmp_path / "in"), owner="wangxm", stdout=out, stderr=StringIO())
    assert '"upload_banned"' in out.getvalue() and "多次上传广告" in out.getvalue()
    assert not Document.objects.exists()


def test_the_ban_expires_by_itself(client, member, banned, tmp_path):
    Penalty.objects.filter(pk=banned.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=8),
        ends_at=timezone.now() - dt.timedelta(seconds=1),
    )
    client.force_login(member)
    assert upload_txt(client, tmp_path, TEXT).status_code == 201
    profile = client.get("/accounts/profile/").content.decode()
    assert "多次上传广告" in profile and "已到期" in profile


def test_penalty_on_the_members_page_and_notified(client, member, banned):
    client.force_login(member)
    profile = client.get("/accounts/profile/").content.decode()
    assert "禁止上传" in profile and "多次上传广告" in profile and "生效中" in profile
    assert timezone.localtime(banned.ends_at).strftime("%Y-%m-%d") in profile
    notice = Notification.objects.get(recipient=member, kind="penalty_imposed")
    assert notice.params["reason"] == "多次上传广告"
    entry = AuditEntry.objects.get(action="penalty")
    assert (entry.actor_name, entry.member_name, entry.details["kind"]) == (
        "op",
        "wangxm",
        "upload_ban",
    )


def test_a_permanent_ban_says_so(client, member, operator, tmp_path):
    penalty_impose(member=member, kind="upload_ban", reason="侵权", by=operator)
    client.force_login(member)
    error = upload_txt(client, tmp_path, TEXT).json()["errors"][0]
    assert "永久" in error and "侵权" in error


def test_withdrawal_freeze(client, member, operator):
    penalty_impose(
        member=member, kind=Penalty.Kind.WITHDRAWAL_FREEZE, reason="可疑交易", days=30, by=operator
    )
    client.force_login(member)
    refused = client.post(
        "/api/market/withdrawals",
        {"amount": 100, "account": "支付宝 wang@example.com", "idempotency_key": "k1"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "withdrawal_frozen" and "可疑交易" in refused.json()["detail"]
    # Lifted: the market's own rules answer again (nothing earned yet).
    penalty = Penalty.objects.get(kind="withdrawal_freeze")
    from openwenku.moderation.services import penalty_lift

    assert penalty_lift(penalty=penalty, by=operator)
    again = client.post(
        "/api/market/withdrawals",
        {"amount": 100, "account": "支付宝 wang@example.com", "idempotency_key": "k2"},
        content_type="application/json",
    )
    assert again.json()["code"] != "withdrawal_frozen"


def test_only_operators_impose(member, other):
    from openwenku.core.errors import Forbidden

    with pytest.raises(Forbidden):
        penalty_impose(member=member, kind="warning", reason="x", by=other)


def test_admin_imposes_and_lifts_through_the_services(client, member, make_user):
    admin_user = make_user(
        "admin_op",
        "accounts.add_penalty",
        "accounts.view_penalty",
        "accounts.change_penalty",
        "moderation.handle_report",
        is_staff=True,
    )
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/penalty/add/",
        {"member": member.pk, "kind": "upload_ban", "reason": "刷量", "days": "3"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    penalty = Penalty.objects.get(member=member)
    assert penalty.ends_at is not None and penalty.imposed_by == admin_user
    assert AuditEntry.objects.filter(action="penalty", actor_name="admin_op").exists()
    client.post(
        "/admin/accounts/penalty/",
        {"action": "lift", "_selected_action": [penalty.pk]},
    )
    penalty.refresh_from_db()
    assert penalty.lifted_at is not None
    assert AuditEntry.objects.filter(action="penalty_lifted").exists()
