"""PostgreSQL: a ``tsvector`` column with a GIN index, built from the same tokens.

PostgreSQL has no Chinese parser here, so the vector is not computed by
``to_tsvector``: it is written as a literal from the tokens segmented in Python
(title weight A, keywords B, body D), and queries are ``tsquery`` literals of the
same tokens. Ranking is ``ts_rank`` with the weights in the ratio used on SQLite.

One two-column GIN index serves every search (migration 0003): the title and
keywords part of the vector, and the whole vector. The candidate windows at scale
are read without de-TOASTing vectors to test rows wherever possible: from that
index, or from the first matching entries once they have been read (see window()).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connection

from ..query import ParsedQuery
from . import base
from .base import (
    BODY_WEIGHT,
    KEYWORDS_WEIGHT,
    TITLE_WEIGHT,
    Params,
    SearchBackend,
    Sql,
    Window,
    title_words,
)

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

MAX_POSITION = 16383
# Positions kept per word: enough for term frequency to saturate in the ranking,
# and it keeps a long book's vector far below PostgreSQL's 1 MB limit.
POSITIONS_PER_LEXEME = 16
WEIGHTS = "{%s,0.0,%s,%s}" % (  # noqa: UP031  (D, C, B, A)
    BODY_WEIGHT / TITLE_WEIGHT,
    KEYWORDS_WEIGHT / TITLE_WEIGHT,
    1.0,
)


# Title and keywords only (weights A and B): a small vector, the first column of the
# search index (the whole vector is the second).
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


def _title_implies_match(parsed: ParsedQuery, words: list[str]) -> bool:
    """One word and nothing excluded: a title or keywords match is a match."""
    shape = [[a.tokens for a in group] for group in parsed.groups]
    return not parsed.excluded and len(words) == 1 and shape == [[(words[0],)]]


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def from_sql(self, entry: bool = True) -> str:
        return "FROM search_searchentry e JOIN documents_document d ON d.id = e.document_id"

    def match_sql(self, parsed: ParsedQuery) -> Sql:
        return "e.vector @@ %s::tsquery", [tsquery_expression(parsed)]

    def match_from_sql(self) -> str:
        return "FROM search_searchentry e"

    # The first matching entries (physical order) of the search under way, once read,
    # and which of them met which conditions (a key of conditions and parameters).
    _first: list[int] | None = None
    _checked: dict[str, tuple[list[int], set[int]]] | None = None

    @contextmanager
    def planner(self) -> Iterator[None]:
        # The planner prices ``vector @@ query`` as a cheap filter, so with a LIMIT it
        # likes to walk a table or its primary key and test (de-TOAST) every vector,
        # which is far slower than the GIN index. Searches use bitmap scans only.
        # A search starts here: nothing read for an earlier one is reused.
        self._first, self._checked = None, {}
        _set_scans("off")
        try:
            yield
        finally:
            _set_scans("on")

    @contextmanager
    def default_planner(self) -> Iterator[None]:
        _set_scans("on")
        try:
            yield
        finally:
            _set_scans("off")

    def quick_count(self, cursor: CursorWrapper, match: str, match_params: Params) -> int | None:
        return self.match_count(cursor, match, match_params)

    def count_first(
        self, cursor: CursorWrapper, match: str, match_params: Params, limit: int
    ) -> int:
        # The matching entries themselves: the windows of the search are then read
        # from them, not from the index again (see window()).
        cursor.execute(
            f"SELECT e.document_id FROM search_searchentry e WHERE {match} LIMIT %s",  # noqa: S608
            [*match_params, limit],
        )
        self._first = [row[0] for row in cursor.fetchall()]
        return len(self._first)

    def counted_match_sql(self, match: str, match_params: Params) -> Sql:
        if self._first is None:
            return match, match_params
        return "e.document_id = ANY(%s)", [self._first]

    def window(self, cursor: CursorWrapper, window: Window) -> list[tuple[Any, ...]]:
        if not window.title:
            if self._first is None and window.narrowed:
                # A body window and the sample behind the estimate will both be read:
                # one index scan for the first matches serves both.
                self.count_first(cursor, *window.match, base.EXACT_LIMIT + 1)
            if self._first is not None:
                rows = self._first_window(cursor, window)
                if rows is not None:
                    return rows
        return super().window(cursor, window)

    def _first_window(self, cursor: CursorWrapper, window: Window) -> list[tuple[Any, ...]] | None:
        """A window read from the first matching entries (the index scan's order), or
        None when it would reach past them."""
        first, n = self._first or [], window.n
        if len(first) < n and len(first) > base.EXACT_LIMIT:
            return None
        if window.flags:  # a sample: which of the first n entries meet the conditions
            passed = self._check(cursor, window, *window.flags, n)
            return [(int(i in passed),) for i in first[:n]]
        conditions, params = window.conditions, window.params
        picked = first[:n]
        if window.narrowed and conditions:
            # Filters and phrases are checked on as many entries as are likely to be
            # needed, then on all that were read, until n pass.
            passed = self._check(cursor, window, conditions, params, max(2 * n, base.SHARE_SAMPLE))
            if sum(i in passed for i in first[: max(2 * n, base.SHARE_SAMPLE)]) < n:
                passed = self._check(cursor, window, conditions, params, len(first))
            picked = [i for i in first if i in passed][:n]
            conditions, params = [], []
            if len(picked) < n and len(first) > base.EXACT_LIMIT:
                return None
        where = " AND ".join(["e.document_id = ANY(%s)", *conditions])
        cursor.execute(
            f"SELECT {window.select} {window.from_sql} WHERE {where}",
            [*window.select_params, picked, *params],
        )
        rows = cursor.fetchall()
        return rows if len(rows) == len(picked) else None

    def _check(
        self, cursor: CursorWrapper, window: Window, conditions: list[str], params: Params, n: int
    ) -> set[int]:
        """Which of the first n matching entries meet the conditions (remembered)."""
        key = json.dumps([conditions, params], default=str)
        checked, passed = (self._checked or {}).get(key, ([], set()))
        todo = (self._first or [])[len(checked) : n]
        if todo:
            cursor.execute(
                f"SELECT e.document_id {window.from_sql} "
                f"WHERE e.document_id = ANY(%s) AND {' AND '.join(conditions)}",
                [todo, *params],
            )
            checked, passed = checked + todo, passed | {row[0] for row in cursor.fetchall()}
            if self._checked is not None:
                self._checked[key] = (checked, passed)
        return passed

    def match_count(self, cursor: CursorWrapper, match: str, match_params: Params) -> int:
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

    def _title_sql(self, parsed: ParsedQuery, all_words: bool = False) -> Sql:
        """A query word (or all) in the title or keywords (the index's first column)."""
        joiner = " & " if all_words else " | "
        return f"{TITLE_VECTOR} @@ %s::tsquery", [
            joiner.join(quote(t) for t in title_words(parsed))
        ]

    def title_match_sql(self, parsed: ParsedQuery, all_words: bool = False) -> Sql:
        # Both conditions are answered by the two-column GIN index (title and keywords
        # part, whole vector; see migration 0003) in one scan, which intersects them
        # inside the index: no vector is read to test either.
        title, title_params = self._title_sql(parsed, all_words)
        if _title_implies_match(parsed, title_words(parsed)):
            return title, title_params
        return f"{title} AND e.vector @@ %s::tsquery", [*title_params, tsquery_expression(parsed)]

    def score_sql(self, parsed: ParsedQuery) -> Sql:
        return (
            f"round((-ts_rank('{WEIGHTS}'::float4[], e.vector, %s::tsquery, 1))::numeric, 6)",
            [tsquery_expression(parsed)],
        )

    def contains_in(self, column: str) -> str:
        return f"strpos({column}, %s) > 0"

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
            # Merge the index's pending list (new entries every search reads through).
            cursor.execute("SELECT gin_clean_pending_list('search_entry_vectors_gin'::regclass)")
            cursor.execute("ANALYZE search_searchentry")

    def size_bytes(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_searchentry')")
            return int(cursor.fetchone()[0])
