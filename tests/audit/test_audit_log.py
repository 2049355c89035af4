"""The audit log only grows: entries are written, read and filtered, never changed."""

import pytest
from django.db import DatabaseError, connection, transaction

from openwenku.audit.models import AppendOnlyError, AuditEntry
from openwenku.audit.services import audit_record


@pytest.fixture
def operator(django_user_model):
    op = django_user_model.objects.create_user("op", "op@example.com", "pw-Op-12345", is_staff=True)
    from django.contrib.auth.models import Permission

    op.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    return op


def _entry(operator, member):
    return audit_record(
        AuditEntry.Action.PENALTY, actor=operator, member=member, reason="spam", days=7
    )


@pytest.mark.django_db
def test_an_entry_says_who_what_whom_why_when(operator, member):
    entry = _entry(operator, member)
    entry.refresh_from_db()
    assert (entry.actor_name, entry.action, entry.member_name, entry.reason) == (
        "op",
        "penalty",
        member.username,
        "spam",
    )
    assert entry.details == {"days": 7}
    assert entry.created_at is not None


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm(operator, member):
    entry = _entry(operator, member)
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="changed")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
@pytest.mark.postgres
def test_the_database_refuses_changes_too(operator, member):
    entry = _entry(operator, member)
    refused = DatabaseError
    with pytest.raises(refused), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = 'x' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":
        with pytest.raises(refused), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).reason == "spam"


@pytest.mark.django_db
def test_entries_outlive_the_member(operator, member):
    entry = _entry(operator, member)
    member.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.member_name == "wangxm"


@pytest.mark.django_db
def test_operators_filter_the_log_in_the_admin_and_cannot_edit_it(client, operator, member):
    _entry(operator, member)
    audit_record(AuditEntry.Action.WORDS_CHANGED, actor=operator, reason="added 3 words")
    client.force_login(operator)
    page = client.get("/admin/audit/auditentry/?action__exact=penalty").content.decode()
    assert "spam" in page and "added 3 words" not in page
    entry = AuditEntry.objects.first()
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403


@pytest.mark.django_db
def test_unknown_action_is_refused(operator):
    with pytest.raises(ValueError):
        audit_record("rewrite_history", actor=operator)
