"""PostgreSQL: a ``tsvector`` column with a GIN index, built from the same tokens.

PostgreSQL has no Chinese parser here, so the vector is not computed by
``to_tsvector``: it is written as a literal from the tokens segmented in Python
(title weight A, keywords B, body D), and queries are ``tsquery`` literals of the
same tokens. Ranking is ``ts_rank`` with the weights in the ratio used on SQLite.
"""

from __future__ import annotations

import json
from contextlib import contextmanager

from django.db import DatabaseError, connection

from ..query import ParsedQuery
from .base import BODY_WEIGHT, KEYWORDS_WEIGHT, TITLE_WEIGHT, SearchBackend, title_words

MAX_POSITION = 16383
# Positions kept per word: enough for term frequency to saturate in the ranking,
# and it keeps a long book's vector far below PostgreSQL's 1 MB limit.
POSITIONS_PER_LEXEME = 16
WEIGHTS = "{%s,0.0,%s,%s}" % (  # noqa: UP031  (D, C, B, A)
    BODY_WEIGHT / TITLE_WEIGHT,
    KEYWORDS_WEIGHT / TITLE_WEIGHT,
    1.0,
)


# Title and keywords only (weights A and B): a small vector with its own GIN index.
TITLE_VECTOR = "ts_filter(e.vector, '{a,b}'::\"char\"[])"


def quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title: str, keywords: str, body: str) -> str:
    positions: dict[str, list[str]] = {}
    position = 0
    for column, weight in ((title, "A"), (keywords, "B"), (body, "")):
        for token in column.split():
            position = min(position + 1, MAX_POSITION)
            seen = positions.setdefault(token, [])
            if len(seen) < POSITIONS_PER_LEXEME:
                seen.append(f"{position}{weight}")
    return " ".join(f"{quote(t)}:{','.join(p)}" for t, p in positions.items())


def tsquery_expression(parsed: ParsedQuery) -> str:
    groups = []
    for group in parsed.groups:
        alternatives = ["(" + " & ".join(quote(t) for t in alt.tokens) + ")" for alt in group]
        groups.append("(" + " | ".join(alternatives) + ")")
    expression = " & ".join(groups)
    for excluded in parsed.excluded:
        expression = f"({expression}) & !({' & '.join(quote(t) for t in excluded)})"
    return expression


def _set_scans(value: str) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('enable_seqscan', %s, false), "
                "set_config('enable_indexscan', %s, false)",
                [value, value],
            )
    except DatabaseError:
        if value == "off":
            raise
        # Back "on" after a failed statement: the transaction's rollback undoes "off".


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def from_sql(self, entry: bool = True) -> str:
        return "FROM search_searchentry e JOIN documents_document d ON d.id = e.document_id"

    def match_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        return "e.vector @@ %s::tsquery", [tsquery_expression(parsed)]

    def match_from_sql(self) -> str:
        return "FROM search_searchentry e"

    @contextmanager
    def planner(self):
        # The planner prices ``vector @@ query`` as a cheap filter, so with a LIMIT it
        # likes to walk a table or its primary key and test (de-TOAST) every vector,
        # which is far slower than the GIN index. Searches use bitmap scans only.
        _set_scans("off")
        try:
            yield
        finally:
            _set_scans("on")

    @contextmanager
    def default_planner(self):
        _set_scans("on")
        try:
            yield
        finally:
            _set_scans("off")

    def quick_count(self, cursor, match: str, match_params: list) -> int | None:
        return self.match_count(cursor, match, match_params)

    def match_count(self, cursor, match: str, match_params: list) -> int:
        # An exact count would visit every matching row; above EXACT_LIMIT an
        # estimate is shown, and the planner's (from the tsvector statistics) is good.
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_searchentry e WHERE {match}",  # noqa: S608
            match_params,
        )
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def title_match_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        # ts_filter(vector, '{a,b}') has its own small GIN index (see the migrations).
        # The full match is kept out of the index conditions ("IS TRUE"): the planner,
        # guessing several words independent, would otherwise scan by them and
        # de-TOAST every vector to test the title condition.
        words = " | ".join(quote(t) for t in title_words(parsed))
        return (
            f"{TITLE_VECTOR} @@ %s::tsquery AND (e.vector @@ %s::tsquery) IS TRUE",
            [words, tsquery_expression(parsed)],
        )

    def score_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        return (
            f"round((-ts_rank('{WEIGHTS}'::float4[], e.vector, %s::tsquery, 1))::numeric, 6)",
            [tsquery_expression(parsed)],
        )

    def contains_sql(self) -> str:
        return "strpos(e.text, %s) > 0"

    def title_prefix_ids(self, tokens: list[str], prefix: str, limit: int) -> list[int]:
        parts = [f"{quote(t)}:A" for t in tokens]
        if prefix:
            parts.append(f"{quote(prefix)}:*A")
        if not parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.id FROM search_searchentry e "
                "JOIN documents_document d ON d.id = e.document_id "
                "WHERE e.vector @@ %s::tsquery AND d.status = 'ready' "
                "ORDER BY d.download_count DESC, d.view_count DESC, d.id DESC LIMIT %s",
                [" & ".join(parts), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def after_write(self, document_id: int, title: str, keywords: str, body: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE search_searchentry SET vector = %s::tsvector WHERE document_id = %s",
                [tsvector_literal(title, keywords, body), document_id],
            )

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_searchentry")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])
