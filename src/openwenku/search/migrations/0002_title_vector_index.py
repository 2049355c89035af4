"""PostgreSQL: a GIN index over the title and keywords part of the vector.

At scale, search ranks bounded candidate sets; the documents with a query word in
their title or keywords are found through this (far smaller) index. SQLite needs
nothing: FTS5 column filters do the same.
"""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS search_entry_title_vector_gin ON search_searchentry "
    "USING gin (ts_filter(vector, '{a,b}'::\"char\"[]))"
)
DROP = "DROP INDEX IF EXISTS search_entry_title_vector_gin"


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
