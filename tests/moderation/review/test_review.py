"""Issue 13, review before publishing: upload → held (a new member) → an operator
reviews it from the queue → public (or rejected with a reason); the uploader is told
in the site and by e-mail; every decision is in the audit log."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from openwenku.audit.models import AuditEntry
from openwenku.documents.models import Document
from openwenku.notifications.models import Notification
from tests.conftest import run_worker

from .conftest import TEXT, token_for, upload_txt

pytestmark = [pytest.mark.django_db(transaction=True)]


def _held_upload(client, tmp_path, text=TEXT, name="讲义.txt") -> Document:
    response = upload_txt(client, tmp_path, text, name)
    assert response.status_code == 201, response.content
    run_worker()
    document = Document.objects.get(pk=response.json()["documents"][0]["id"])
    assert document.status == Document.Status.HELD, document.failure_reason
    return document


def test_upload_held_then_approved_is_public_notified_and_audited(
    client, member, operator, other, tmp_path
):
    client.force_login(member)
    document = _held_upload(client, tmp_path)
    url = document.get_absolute_url()

    # The uploader sees it, marked under review, with the reason.
    page = client.get(url).content.decode()
    assert "审核中" in page and "管理员审核" in page
    status = client.get(f"/doc/{document.pk}/status.json").json()
    assert status["status"] == "held" and status["done"] and status["reasons"]
    # Nobody else does: not another member, not a visitor, not search, not the API.
    client.force_login(other)
    assert client.get(url).status_code == 404
    assert client.get(f"/api/documents/{document.pk}").status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get("/api/search", {"q": "机器学习"}).json()["count"] == 0

    # A member without the permission gets no queue.
    client.force_login(other)
    assert client.get("/manage/review/").status_code == 403
    assert (
        client.post(
            "/manage/review/decide", {"ids": [document.pk], "action": "approve"}
        ).status_code
        == 403
    )

    # The operator sees it in the queue with its pages inline (never the original).
    client.force_login(operator)
    queue = client.get("/manage/review/").content.decode()
    assert f'id="held-{document.pk}"' in queue
    assert "/page/1?" in queue and f"/doc/{document.pk}/download" not in queue
    assert "1 uploads" in queue or "上传 1" in queue
    image_url = queue.split(f'id="held-{document.pk}-page-1"')[1].split('src="')[1].split('"')[0]
    assert client.get(image_url.replace("&amp;", "&")).status_code == 200
    # The operator reads the held page, but cannot download it.
    assert client.get(url).status_code == 200
    assert client.get(f"/doc/{document.pk}/download").status_code == 404

    response = client.post("/manage/review/decide", {"ids": [document.pk], "action": "approve"})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    run_worker()  # the notice's e-mail, search indexing (as on a normal publish)

    client.logout()
    assert client.get(url).status_code == 200
    assert client.get("/api/search", {"q": "机器学习"}).json()["count"] == 1
    notice = Notification.objects.get(recipient=member, kind="review_approved")
    assert notice.url == url
    assert any(member.email in m.to and document.title in m.body for m in mail.outbox)
    entry = AuditEntry.objects.get(action="review_approved")
    assert (entry.actor_name, entry.document_id, entry.member_name) == ("op", document.pk, "wangxm")


def test_rejected_with_a_reason_the_uploader_reads(
    client, member, operator, tmp_path, rejection_reasons
):
    client.force_login(member)
    document = _held_upload(client, tmp_path)
    client.force_login(operator)
    reasons = client.get("/manage/review/").content.decode()
    assert "广告、营销或垃圾内容" in reasons  # the editable list, seeded by migration
    client.post(
        "/manage/review/decide",
        {
            "ids": [document.pk],
            "action": "reject",
            "reason": "广告、营销或垃圾内容",
            "note": "第1页有二维码",
        },
    )
    document.refresh_from_db()
    assert document.status == Document.Status.REJECTED
    client.force_login(member)
    mine = client.get("/my/documents/").content.decode()
    assert "广告、营销或垃圾内容：第1页有二维码" in mine
    assert "广告、营销或垃圾内容" in client.get(document.get_absolute_url()).content.decode()
    notice = Notification.objects.get(recipient=member, kind="review_rejected")
    assert "第1页有二维码" in notice.params["reason"]
    assert AuditEntry.objects.get(action="review_rejected").reason.startswith("广告")


def test_bulk_approve_and_trusted_members_publish_at_once(
    client, member, operator, tmp_path, settings
):
    settings.OPENWENKU = {**settings.OPENWENKU, "REVIEW_FIRST_UPLOADS": 2}
    client.force_login(member)
    first = _held_upload(client, tmp_path, TEXT + "一", "a.txt")
    second = _held_upload(client, tmp_path, TEXT + "二", "b.txt")
    client.force_login(operator)
    client.post("/manage/review/decide", {"ids": [first.pk, second.pk], "action": "approve"})
    assert set(Document.objects.values_list("status", flat=True)) == {"ready"}
    assert AuditEntry.objects.filter(action="review_approved").count() == 2
    # Two accepted documents, no upheld report: the third publishes at once.
    client.force_login(member)
    response = upload_txt(client, tmp_path, TEXT + "三", "c.txt")
    run_worker()
    third = Document.objects.get(pk=response.json()["documents"][0]["id"])
    assert third.status == Document.Status.READY


def test_import_prints_held_with_reasons(member, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "讲义.txt").write_text(TEXT, encoding="utf-8")
    out = StringIO()
    call_command("import", str(tmp_path / "in"), owner="wangxm", wait=True, stdout=out)
    row = json.loads(out.getvalue().strip().splitlines()[0])
    assert row["status"] == "held"
    assert row["code"] == "review_first" and row["reasons"]


def test_api_status_and_operator_decisions(client, member, operator, other, tmp_path):
    client.force_login(member)
    document = _held_upload(client, tmp_path)
    # The owner reads the held status and why.
    data = client.get(f"/api/documents/{document.pk}").json()
    assert data["status"] == "held" and data["reasons"]
    client.logout()
    # An operator's token with the moderate scope lists and approves.
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(operator)}"}
    held = client.get("/api/moderation/held", **auth).json()
    assert [h["id"] for h in held] == [document.pk]
    assert held[0]["reason_code"] == "review_first"
    # Without the scope, or without the permission: refused on the error contract.
    no_scope = {"HTTP_AUTHORIZATION": f"Bearer {token_for(operator, 'read')}"}
    refused = client.get("/api/moderation/held", **no_scope)
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    not_operator = {"HTTP_AUTHORIZATION": f"Bearer {token_for(other)}"}
    refused = client.post(f"/api/moderation/held/{document.pk}/approve", **not_operator)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    # The other member cannot see the held document through the API either.
    assert client.get(f"/api/documents/{document.pk}", **not_operator).status_code == 404

    bad = client.post(
        f"/api/moderation/held/{document.pk}/reject", {}, content_type="application/json", **auth
    )
    assert bad.status_code == 400 and bad.json()["code"] == "reason_required"
    ok = client.post(f"/api/moderation/held/{document.pk}/approve", **auth)
    assert ok.status_code == 200 and ok.json()["status"] == "ready"
    assert AuditEntry.objects.filter(action="review_approved", document_id=document.pk).exists()
