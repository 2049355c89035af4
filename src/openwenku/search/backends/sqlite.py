"""SQLite FTS5: an external-content FTS5 table over search_searchentry, kept in step
by triggers (see the migration), ranked with BM25."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import connection

from ..analysis import TOKEN_INNER_CHARS
from ..query import ParsedQuery
from . import base
from .base import (
    BODY_WEIGHT,
    KEYWORDS_WEIGHT,
    TITLE_WEIGHT,
    Params,
    SearchBackend,
    Sql,
    title_words,
)

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

TABLE = "search_fts"
# Tokens come pre-segmented and separated by spaces; FTS5 must keep each whole.
TOKENIZE = (
    f"unicode61 remove_diacritics 0 tokenchars '{TOKEN_INNER_CHARS}' categories 'L* N* Co M*'"
)


def quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_expression(parsed: ParsedQuery) -> str:
    groups = []
    for group in parsed.groups:
        alternatives = ["(" + " AND ".join(quote(t) for t in alt.tokens) + ")" for alt in group]
        groups.append("(" + " OR ".join(alternatives) + ")")
    expression = " AND ".join(groups)
    for excluded in parsed.excluded:
        expression = f"({expression}) NOT ({' AND '.join(quote(t) for t in excluded)})"
    return expression


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def from_sql(self, entry: bool = True) -> str:
        # CROSS JOIN keeps SQLite from driving the join from the documents table
        # (by its status index) and running the full-text match once per document.
        sql = f"FROM {TABLE} CROSS JOIN documents_document d ON d.id = {TABLE}.rowid"
        if entry:
            sql += " CROSS JOIN search_searchentry e ON e.document_id = d.id"
        return sql

    def match_from_sql(self) -> str:
        return f"FROM {TABLE}"

    def window_order(self) -> str:
        # FTS5 walks its doclists by rowid: a LIMITed scan in this order stops early.
        return f"ORDER BY {TABLE}.rowid DESC"

    def match_sql(self, parsed: ParsedQuery) -> Sql:
        return f"{TABLE} MATCH %s", [fts_expression(parsed)]

    def match_count(self, cursor: CursorWrapper, match: str, match_params: Params) -> int:
        # Counting every match of common words costs ~10 ms at 100k documents. The
        # newest EXACT_LIMIT matches cover some share of the id range; scaled up to
        # the whole range, that is the estimate (matches spread evenly over ids).
        cursor.execute(
            f"SELECT count(*), min(rowid) FROM (SELECT rowid FROM {TABLE} WHERE {match} "  # noqa: S608
            f"ORDER BY rowid DESC LIMIT %s)",
            [*match_params, base.EXACT_LIMIT + 1],
        )
        found, lowest = cursor.fetchone()
        # Two subqueries: SQLite reads min() or max() off the key only when alone.
        cursor.execute(
            "SELECT (SELECT min(document_id) FROM search_searchentry), "
            "(SELECT max(document_id) FROM search_searchentry)"
        )
        first, last = cursor.fetchone()
        if not found or last is None:
            return 0
        return round(found * (last - first + 1) / (last - lowest + 1))

    def title_match_sql(self, parsed: ParsedQuery, all_words: bool = False) -> Sql:
        words = (" AND " if all_words else " OR ").join(quote(t) for t in title_words(parsed))
        return f"{TABLE} MATCH %s", [
            f"({fts_expression(parsed)}) AND {{title keywords}} : ({words})"
        ]

    def score_sql(self, parsed: ParsedQuery) -> Sql:
        return f"round(bm25({TABLE}, {TITLE_WEIGHT}, {KEYWORDS_WEIGHT}, {BODY_WEIGHT}), 6)", []

    def contains_in(self, column: str) -> str:
        return f"instr({column}, %s) > 0"

    def title_prefix_ids(self, tokens: list[str], prefix: str, limit: int) -> list[int]:
        parts = [f"title : {quote(t)}" for t in tokens]
        if prefix:
            parts.append(f"title : {quote(prefix)}*")
        if not parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.id FROM {TABLE} CROSS JOIN documents_document d ON d.id = {TABLE}.rowid "  # noqa: S608
                f"WHERE {TABLE} MATCH %s AND d.status = 'ready' "
                "ORDER BY d.download_count DESC, d.view_count DESC, d.id DESC LIMIT %s",
                [" AND ".join(parts), limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")  # noqa: S608

    def rebuild(self) -> None:
        """Re-read every row of the content table (repairs a damaged index)."""
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")  # noqa: S608

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE %s OR name = %s",
                [f"{TABLE}_%", "search_searchentry"],
            )
            return int(cursor.fetchone()[0])
