"""Issue 13, reports (举报): anonymous reports with a contact, limited per address;
the operators' queue and its outcomes; the reporter is told; audit entries."""

from __future__ import annotations

import pytest

from openwenku.accounts.models import Penalty
from openwenku.audit.models import AuditEntry
from openwenku.documents.models import Document
from openwenku.moderation.models import Report
from openwenku.notifications.models import Notification
from tests.market.conftest import make_doc

from .conftest import token_for

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def doc(member):
    return make_doc(member, title="违规文档.pdf")


def test_anonymous_report_needs_a_contact(client, doc):
    url = f"/doc/{doc.pk}/report"
    assert client.get(url).status_code == 200
    page = client.post(url, {"reason": "copyright", "detail": "抄袭我的书"})
    assert page.status_code == 200 and not Report.objects.exists()
    assert "联系方式" in page.content.decode()
    done = client.post(url, {"reason": "copyright", "detail": "抄袭我的书", "contact": "a@b.cn"})
    assert done.status_code == 302
    report = Report.objects.get()
    assert (report.reporter, report.contact, report.status) == (None, "a@b.cn", "open")


def test_reports_are_limited_per_address(client, doc, other, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "REPORTS_PER_IP_PER_HOUR": 2}
    url = f"/doc/{doc.pk}/report"
    for i in range(2):
        assert client.post(url, {"reason": "spam", "contact": f"{i}@x.cn"}).status_code == 302
    refused = client.post(url, {"reason": "spam", "contact": "3@x.cn"})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    # The same address logged in is the same address.
    client.force_login(other)
    assert client.post(url, {"reason": "spam"}).status_code == 429
    assert Report.objects.count() == 2
    # Another address may still report.
    assert client.post(url, {"reason": "spam"}, REMOTE_ADDR="10.9.8.7").status_code == 302


def test_one_open_report_per_member_per_document(client, doc, other):
    client.force_login(other)
    client.post(f"/doc/{doc.pk}/report", {"reason": "spam"})
    client.post(f"/doc/{doc.pk}/report", {"reason": "illegal", "detail": "改了"})
    report = Report.objects.get()
    assert (report.reason, report.detail) == ("illegal", "改了")


def _report(client, doc, other):
    client.force_login(other)
    client.post(f"/doc/{doc.pk}/report", {"reason": "illegal", "detail": "违法内容"})
    return Report.objects.get()


def test_queue_needs_the_permission(client, doc, other, make_user):
    _report(client, doc, other)
    for url in ("/manage/reports/", "/manage/audit/", "/manage/review/"):
        assert client.get(url).status_code == 403, url
    reviewer = make_user("reviewer", "moderation.review_document")
    client.force_login(reviewer)
    assert client.get("/manage/review/").status_code == 200
    assert client.get("/manage/reports/").status_code == 403
    report = Report.objects.get()
    handled = client.post(f"/manage/reports/{report.pk}/handle", {"outcome": "dismissed"})
    assert handled.status_code == 403
    assert Report.objects.get().status == "open"


def test_dismiss_tells_the_reporter_and_is_audited(client, doc, other, operator):
    report = _report(client, doc, other)
    client.force_login(operator)
    queue = client.get("/manage/reports/").content.decode()
    assert "违法内容" in queue and f'id="report-{report.pk}"' in queue
    client.post(
        f"/manage/reports/{report.pk}/handle", {"outcome": "dismissed", "note": "未发现问题"}
    )
    report.refresh_from_db()
    assert (report.status, report.outcome, report.note) == ("rejected", "dismissed", "未发现问题")
    assert report.handled_by == operator and report.handled_at is not None
    notice = Notification.objects.get(recipient=other, kind="report_outcome")
    assert notice.params["outcome"] == "驳回举报" and notice.params["note"] == "未发现问题"
    assert not Notification.objects.filter(kind="report_upheld").exists()
    entry = AuditEntry.objects.get(action="report_dismissed")
    assert (entry.actor_name, entry.document_id, entry.reason) == ("op", doc.pk, "未发现问题")
    # Handled once only.
    again = client.post(f"/manage/reports/{report.pk}/handle", {"outcome": "unpublished"})
    assert again.status_code == 302
    assert Document.objects.get(pk=doc.pk).status == "ready"


def test_unpublish_upholds_the_report(client, doc, other, operator, member):
    report = _report(client, doc, other)
    client.force_login(operator)
    client.post(f"/manage/reports/{report.pk}/handle", {"outcome": "unpublished", "note": "违法"})
    assert Document.objects.get(pk=doc.pk).status == Document.Status.UNPUBLISHED
    client.force_login(other)
    assert client.get(doc.get_absolute_url()).status_code == 404
    assert Notification.objects.get(recipient=other, kind="report_outcome").params["outcome"]
    upheld = Notification.objects.get(recipient=member, kind="report_upheld")
    assert upheld.params["note"] == "违法"
    assert AuditEntry.objects.get(action="report_upheld").details["outcome"] == "unpublished"


def test_penalise_from_the_queue_and_lift(client, doc, other, operator, member):
    report = _report(client, doc, other)
    client.force_login(operator)
    client.post(
        f"/manage/reports/{report.pk}/handle",
        {"outcome": "penalised", "penalty_kind": "upload_ban", "days": "7", "note": "屡次违规"},
    )
    penalty = Penalty.objects.get(member=member)
    assert (penalty.kind, penalty.reason, penalty.imposed_by) == (
        "upload_ban",
        "屡次违规",
        operator,
    )
    assert penalty.ends_at is not None and penalty.is_in_force()
    assert Notification.objects.get(recipient=member, kind="penalty_imposed")
    assert {e.action for e in AuditEntry.objects.all()} == {"penalty", "report_upheld"}
    # Shown with the open penalties in the queue's handled list, and lifted from there.
    client.post(f"/manage/penalties/{penalty.pk}/lift")
    penalty.refresh_from_db()
    assert penalty.lifted_by == operator and not penalty.is_in_force()
    assert AuditEntry.objects.filter(action="penalty_lifted", member=member).exists()
    assert Notification.objects.filter(recipient=member, kind="penalty_lifted").exists()


def test_the_report_queue_takes_down_with_the_copyright_service(
    client, doc, other, operator, make_user
):
    """The copyright half registers its takedown (moderation.copyright): the queue
    offers it; it needs moderation.take_down too, and the document answers 410 at once."""
    report = _report(client, doc, other)
    client.force_login(operator)  # handles reports, may not take documents down
    page = client.get("/manage/reports/").content.decode()
    assert 'value="taken_down"' in page
    client.post(f"/manage/reports/{report.pk}/handle", {"outcome": "taken_down"})
    assert Report.objects.get().status == "open"
    assert client.get(f"/doc/{doc.pk}.html").status_code == 200
    both = make_user("op2", "moderation.handle_report", "moderation.take_down", is_staff=True)
    client.force_login(both)
    client.post(f"/manage/reports/{report.pk}/handle", {"outcome": "taken_down"})
    assert Report.objects.get().status == "resolved"
    assert client.get(f"/doc/{doc.pk}.html").status_code == 410


def test_operator_api_for_reports_and_penalties(client, doc, other, operator, member):
    report = _report(client, doc, other)
    client.logout()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(operator)}"}
    listed = client.get("/api/moderation/reports", **auth).json()
    assert [r["id"] for r in listed] == [report.pk] and listed[0]["reporter"] == "lisi"
    done = client.post(
        f"/api/moderation/reports/{report.pk}/outcome",
        {"outcome": "penalised", "penalty_kind": "warning", "note": "初次警告"},
        content_type="application/json",
        **auth,
    )
    assert done.status_code == 200 and done.json()["outcome"] == "penalised"
    again = client.post(
        f"/api/moderation/reports/{report.pk}/outcome",
        {"outcome": "dismissed"},
        content_type="application/json",
        **auth,
    )
    assert again.status_code == 409 and again.json()["code"] == "already_handled"
    imposed = client.post(
        "/api/moderation/penalties",
        {"member": "wangxm", "kind": "withdrawal_freeze", "reason": "可疑交易", "days": 30},
        content_type="application/json",
        **auth,
    )
    assert imposed.status_code == 201 and imposed.json()["in_force"]
    lifted = client.post(f"/api/moderation/penalties/{imposed.json()['id']}/lift", **auth)
    assert lifted.status_code == 200 and not lifted.json()["in_force"]
    kinds = [
        p["kind"] for p in client.get("/api/moderation/penalties?member=wangxm", **auth).json()
    ]
    assert sorted(kinds) == ["warning", "withdrawal_freeze"]
    # A member's token, even with the scope, is refused.
    member_auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(other)}"}
    refused = client.get("/api/moderation/reports", **member_auth)
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
