"""Issue 13: the operators' audit log page: filtered, paginated, read-only; and
a held document stays out of listings and sitemaps."""

from __future__ import annotations

import pytest

from openwenku.audit.models import AuditEntry
from openwenku.audit.services import audit_record
from tests.market.conftest import make_doc

pytestmark = [pytest.mark.django_db]


def test_audit_log_filters_and_pages(client, operator, member, other):
    doc = make_doc(member, title="审计文档.pdf")
    audit_record(AuditEntry.Action.REVIEW_APPROVED, actor=operator, document=doc)
    audit_record(AuditEntry.Action.PENALTY, actor=operator, member=other, reason="刷量")
    for i in range(60):
        audit_record(AuditEntry.Action.WORDS_CHANGED, actor=None, reason=f"词表{i}")
    client.force_login(operator)
    first = client.get("/manage/audit/").content.decode()
    assert first.count('class="audit-entry') == 50 and "1 / 2" in first
    penalty = client.get("/manage/audit/", {"action": "penalty"}).content.decode()
    assert "刷量" in penalty and "审计文档" not in penalty
    by_doc = client.get("/manage/audit/", {"document": str(doc.pk)}).content.decode()
    assert by_doc.count('class="audit-entry') == 1 and "审计文档" in by_doc
    by_member = client.get("/manage/audit/", {"member": "lisi"}).content.decode()
    assert by_member.count('class="audit-entry') == 1
    by_actor = client.get("/manage/audit/", {"actor": "op"}).content.decode()
    assert by_actor.count('class="audit-entry') == 2
    today = client.get("/manage/audit/", {"since": "2000-01-01", "until": "2000-01-02"})
    assert today.content.decode().count('class="audit-entry') == 0
    # Read-only: no form posts anywhere but the filter.
    assert client.post("/manage/audit/").status_code == 405
    client.force_login(other)
    assert client.get("/manage/audit/").status_code == 403


def test_held_documents_stay_out_of_listings(client, member):
    from openwenku.access.selectors import listable_documents

    held = make_doc(member, title="待审核的文档.pdf", status="held")
    ready = make_doc(member, title="公开的文档.pdf")
    assert list(listable_documents()) == [ready]
    assert "待审核的文档" not in client.get("/").content.decode()
    assert client.get(held.get_absolute_url()).status_code == 404
