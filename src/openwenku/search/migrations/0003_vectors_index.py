"""PostgreSQL: one two-column GIN index (title and keywords part, whole vector).

It replaces the two single-column GIN indexes. With both columns in one index,
"a query word in the title or keywords, and the whole query anywhere" (the title
candidates at scale) is answered by a single index scan, which intersects the two
inside the index; with two indexes the planner either filtered every row with a
title word by de-TOASTing its (large) vector, up to 100 ms a query at 100,000
documents, or ANDed two bitmaps. Queries on the vector alone use the same index
(a GIN index serves any subset of its columns equally well).

Its pending list (GIN's "fast update" buffer of new entries, which every search
reads through) is kept to 256 kB instead of 4 MB: a full 4 MB list added about
4 ms to each index scan, a search making up to three; the price is about 3 ms more
per indexed document (the list is merged more often). SQLite needs nothing.
"""

from django.db import migrations

TITLE_PART = "ts_filter(vector, '{a,b}'::\"char\"[])"
CREATE = [
    "CREATE INDEX IF NOT EXISTS search_entry_vectors_gin ON search_searchentry "
    f"USING gin ({TITLE_PART}, vector) WITH (gin_pending_list_limit = 256)",
    "DROP INDEX IF EXISTS search_entry_title_vector_gin",
    "DROP INDEX IF EXISTS search_entry_vector_gin",
    # Statistics of the indexed title part: the planner's estimates of title matches
    # (which the search uses to choose how to read its candidates) come from them.
    "ANALYZE search_searchentry",
]
DROP = [
    "CREATE INDEX IF NOT EXISTS search_entry_vector_gin ON search_searchentry USING gin (vector)",
    "CREATE INDEX IF NOT EXISTS search_entry_title_vector_gin ON search_searchentry "
    f"USING gin ({TITLE_PART})",
    "DROP INDEX IF EXISTS search_entry_vectors_gin",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_title_vector_index")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
