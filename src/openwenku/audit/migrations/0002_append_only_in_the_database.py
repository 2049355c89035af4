"""The database refuses to change an audit entry, and (on PostgreSQL) to delete one.

On SQLite a DELETE stays possible at the database level because that is how
test databases are emptied between tests there (PostgreSQL's flush is a
TRUNCATE, which row triggers do not see); the model and its queryset refuse
deletes on every database, and the admin offers none.
"""

from django.db import migrations

SQLITE_UP = [
    """
    CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
    END
    """,
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_entry_no_update"]

POSTGRES_UP = [
    """
    CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only';
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_entry_no_change BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
    """,
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_change ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_log")]

    operations = [migrations.RunPython(forwards, backwards)]
