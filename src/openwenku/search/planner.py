"""The search planner: how one page of results is found, ranked and counted.

Every backend answers the same few questions (see ``backends.base``); the planner
decides which to ask, and in what order, so that both databases give the same
pages and counts:

* Few matches (at most ``EXACT_LIMIT``): every match is counted and ranked in SQL.
* Many matches, by relevance: two bounded candidate windows are ranked here,
  title and keywords matches first (tier 0), then the newest body matches
  (tier 1); the count is estimated from the index.
* Many matches, newest or most downloaded first: every match is ordered in SQL
  with the database's own plan; only the count is estimated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

from django.db import connection

from .backends import base, get_backend
from .backends.base import Params, SearchBackend, Sql, Window

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from .query import ParsedQuery

SORTS = ("relevance", "newest", "downloads")

# Candidates at scale: documents with a query word in the title or keywords (the
# column weights put them first in any case), then the newest body matches.
TITLE_CANDIDATES = 100
BODY_CANDIDATES = 100
# The deepest page a reader can ask for (selectors.MAX_PAGE x PAGE_SIZE).
MAX_WINDOW = 1000

TITLE_TIER, BODY_TIER = 0, 1
# Of the first results by relevance, those with the query as written in their public
# text lead those with its words apart (see promote_public_phrase).
PROMOTE_WINDOW = 100


@dataclass
class SearchFilters:
    formats: list[str] = field(default_factory=list)
    category_ids: list[int] | None = None
    pages_min: int | None = None
    pages_max: int | None = None
    price: str = ""  # "", "free" or "paid"

    @property
    def narrows(self) -> bool:
        """Whether any filter is set (then it may pass few of the matches)."""
        return bool(
            self.formats
            or self.category_ids is not None
            or self.pages_min is not None
            or self.pages_max is not None
            or self.price in ("free", "paid")
        )

    def sql(self) -> Sql:
        """Conditions on the document row ``d`` (always: ready documents only)."""
        where: list[str] = ["d.status = %s"]
        params: Params = ["ready"]
        if self.formats:
            where.append(f"d.format IN ({', '.join(['%s'] * len(self.formats))})")
            params += list(self.formats)
        if self.category_ids is not None:
            ids = self.category_ids or [-1]
            where.append(f"d.category_id IN ({', '.join(['%s'] * len(ids))})")
            params += list(ids)
        if self.pages_min is not None:
            where.append("d.page_count >= %s")
            params.append(self.pages_min)
        if self.pages_max is not None:
            where.append("d.page_count <= %s")
            params.append(self.pages_max)
        if self.price == "free":
            where.append("d.price = 0")
        elif self.price == "paid":
            where.append("d.price > 0")
        return " AND ".join(where), params


@dataclass
class SearchPage:
    total: int  # -1 when not counted
    ids: list[int]
    # True when ``total`` is an estimate (more than EXACT_LIMIT matches).
    approximate: bool = False


class Candidate(NamedTuple):
    """A document found in a candidate window, with what ranks it."""

    rank: int  # the phrase rank (backend.phrase_rank_sql): the query as written first
    tier: int  # TITLE_TIER or BODY_TIER: title matches rank first
    score: float  # lower is better
    downloads: int
    views: int
    created: datetime | str  # as the database returns it; compares alike within a search
    id: int


@dataclass(frozen=True)
class _Plan:
    """What one search asks of the index and the documents."""

    parsed: ParsedQuery
    match: Sql
    # Filters, the excluded document and quoted phrases, with their parameters.
    conditions: list[str]
    params: Params
    # Any of them beyond "ready documents" (they may pass few of the matches).
    narrowed: bool
    # Quoted phrases are tested on the entry's text (the entry joins the documents).
    phrases: bool


def order_by(sort: str, score: str) -> str:
    """ORDER BY for a sort; ``score`` is an expression where lower is better.

    Scores are rounded so that equal relevance is broken by popularity, not by
    floating-point noise.
    """
    popularity = "d.download_count DESC, d.view_count DESC, d.created_at DESC, d.id DESC"
    if sort == "newest":
        return "d.created_at DESC, d.id DESC"
    if sort == "downloads":
        return f"d.download_count DESC, d.view_count DESC, {score}, d.id DESC"
    return f"{score}, {popularity}"


def round_estimate(n: float) -> int:
    """An estimate with two significant digits (about 96,000, not 96,123)."""
    n = round(n)
    if n < 100:
        return n
    digits = len(str(n)) - 2
    return int(round(n / 10**digits) * 10**digits)


def _plan(
    backend: SearchBackend, parsed: ParsedQuery, filters: SearchFilters, exclude_id: int | None
) -> _Plan:
    where, params = filters.sql()
    conditions = [where]
    if exclude_id is not None:
        conditions.append("d.id <> %s")
        params.append(exclude_id)
    phrases = parsed.phrases
    conditions += [backend.contains_sql() for _ in phrases]
    return _Plan(
        parsed=parsed,
        match=backend.match_sql(parsed),
        conditions=conditions,
        params=[*params, *phrases],
        narrowed=filters.narrows or exclude_id is not None or bool(phrases),
        phrases=bool(phrases),
    )


def search_page(
    *,
    parsed: ParsedQuery,
    filters: SearchFilters,
    sort: str = "relevance",
    offset: int = 0,
    limit: int = 20,
    exclude_id: int | None = None,
    count: bool = True,
    backend: SearchBackend | None = None,
) -> SearchPage:
    """One page of the documents matching a query, best first, and how many match
    (``count=False``: not counted, ``total`` is -1)."""
    backend = backend or get_backend()
    plan = _plan(backend, parsed, filters, exclude_id)
    with backend.planner(), connection.cursor() as cursor:
        guess = backend.quick_count(cursor, *plan.match)
        # Few enough guessed? A bounded look at the index alone: few enough matches
        # to rank them all?
        looked = guess is None or guess <= 4 * base.EXACT_LIMIT
        if looked and backend.count_first(cursor, *plan.match, base.EXACT_LIMIT + 1) <= (
            base.EXACT_LIMIT
        ):
            counted = backend.counted_match_sql(*plan.match)
            return _exact(backend, cursor, plan, counted, sort, offset, limit, count=count)
        complete = False
        if sort == "relevance":
            # ``looked``: counted above, more than EXACT_LIMIT entries match.
            page, complete = _candidates(backend, cursor, plan, offset, limit, many=looked)
        else:
            # Newest or most downloaded first: every match is ordered (as before),
            # with the database's own plan; only the count is estimated.
            with backend.default_planner():
                page = _exact(backend, cursor, plan, plan.match, sort, offset, limit)
        if not count:
            page.total = -1
            return page
        if complete:  # the body window holds every match: its size is the count
            page.approximate = False
            return page
        estimate: float = guess if guess is not None else backend.match_count(cursor, *plan.match)
        if plan.narrowed:
            passed, sampled = _sample(backend, cursor, plan)
            estimate = estimate * passed / max(sampled, 1)
        else:
            # More than EXACT_LIMIT entries matched the words: the estimate never
            # says fewer (the planner's guess for several words assumes independence).
            estimate = max(estimate, base.EXACT_LIMIT + 1)
        page.total = max(round_estimate(estimate), page.total)
        page.approximate = True
        if not page.ids and offset == 0:
            page.total, page.approximate = 0, False
        return page


def _exact(
    backend: SearchBackend,
    cursor: CursorWrapper,
    plan: _Plan,
    match: Sql,
    sort: str,
    offset: int,
    limit: int,
    *,
    count: bool = False,
) -> SearchPage:
    """Every match counted and ranked (at most EXACT_LIMIT of them)."""
    where = " AND ".join([match[0], *plan.conditions])
    from_sql = f"{backend.from_sql()} WHERE {where}"
    params = [*match[1], *plan.params]
    total = -1
    if count:
        cursor.execute(f"SELECT count(*) {from_sql}", params)
        total = cursor.fetchone()[0]
        if total == 0:
            return SearchPage(0, [])
    score, score_params = backend.score_sql(plan.parsed)
    rank: str = "3"
    rank_params: Params = []
    if sort == "newest":
        score_params = []
    elif sort == "relevance":
        rank, rank_params = backend.phrase_rank_sql(plan.parsed)
        rank = rank or "3"
        if rank_params:
            score, score_params = f"{rank}, {score}", [*rank_params, *score_params]
    promote = sort == "relevance" and _promotes(plan.parsed) and offset < PROMOTE_WINDOW
    window = (0, max(PROMOTE_WINDOW, offset + limit)) if promote else (offset, limit)
    cursor.execute(
        f"SELECT d.id, {rank} {from_sql} ORDER BY {order_by(sort, score)} LIMIT %s OFFSET %s",
        [*rank_params, *params, *score_params, window[1], window[0]],
    )
    rows = [(row[0], int(row[1])) for row in cursor.fetchall()]
    if promote:
        rows = promote_public_phrase(backend, cursor, plan.parsed, rows)[offset : offset + limit]
    return SearchPage(total, [doc_id for doc_id, _ in rows])


def _promotes(parsed: ParsedQuery) -> bool:
    """Whether the public-text phrase rank applies (one word: every match has it)."""
    return bool(parsed.ranking_phrase) and len(parsed.positive_tokens) > 1


def promote_public_phrase(
    backend: SearchBackend, cursor: CursorWrapper, parsed: ParsedQuery, rows: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """(id, phrase rank) rows in ranking order, with the documents among the first
    PROMOTE_WINDOW that hold the query as written in their public text (rank 2)
    moved ahead of those that hold its words apart (rank 3). The window is fixed,
    so every page of a search sees the same order."""
    head, tail = rows[:PROMOTE_WINDOW], rows[PROMOTE_WINDOW:]
    apart = [doc_id for doc_id, rank in head if rank == 3]
    found = backend.public_phrase_ids(cursor, apart, parsed.ranking_phrase)
    if not found:
        return rows
    head = [(doc_id, 2 if doc_id in found else rank) for doc_id, rank in head]
    head.sort(key=lambda row: row[1])  # stable: the order within a rank is kept
    return head + tail


def _sample(backend: SearchBackend, cursor: CursorWrapper, plan: _Plan) -> tuple[int, int]:
    """How many of a sample of the matches pass the filters and have the phrases,
    and the sample's size (the index holds ready documents only)."""
    sample = " AND ".join(plan.conditions)
    oks = backend.window(
        cursor,
        Window(
            select=f"CASE WHEN {sample} THEN 1 ELSE 0 END",
            select_params=plan.params,
            from_sql=backend.from_sql(entry=plan.phrases),
            match=plan.match,
            n=base.SHARE_SAMPLE,
            flags=(plan.conditions, plan.params),
        ),
    )
    return sum(ok for (ok,) in oks), len(oks)


def _candidates(
    backend: SearchBackend,
    cursor: CursorWrapper,
    plan: _Plan,
    offset: int,
    limit: int,
    *,
    many: bool,
) -> tuple[SearchPage, bool]:
    """Rank bounded candidate sets: title/keyword matches first, then body matches.

    Quoted phrases are checked in SQL while a window is collected, so the scan
    stops once the window is full. ``total`` of the page is the number of
    distinct candidates (a floor for the estimate); the flag says whether the
    body window held every match (then that is the exact count).
    """
    need = offset + limit
    title_n = TITLE_CANDIDATES if need <= TITLE_CANDIDATES else MAX_WINDOW
    body_n = BODY_CANDIDATES if need <= BODY_CANDIDATES else MAX_WINDOW
    found: dict[int, Candidate] = {}
    tiers = [
        (TITLE_TIER, backend.title_match_sql(plan.parsed), title_n),
        (BODY_TIER, plan.match, body_n),
    ]
    if len(base.title_words(plan.parsed)) > 1 and plan.parsed.ranking_phrase:
        # A full title window may have left out older titles with every word (those
        # holding the phrase among them), crowded out by newer ones with one word:
        # then they are a window of their own.
        tiers.insert(1, (TITLE_TIER, backend.title_match_sql(plan.parsed, all_words=True), title_n))
    body_found = 0
    rank, rank_params = backend.phrase_rank_sql(plan.parsed)
    rank = rank or "3"
    title_full = True
    for tier, match, n in tiers:
        if tier == TITLE_TIER and not title_full:
            continue  # the title window held every title match
        if tier == BODY_TIER and body_window_moot(len(found), need, body_n, many, plan.narrowed):
            return _ranked_page(backend, cursor, plan.parsed, found, offset, need), False
        score, score_params = backend.candidate_score_sql(
            plan.parsed, title_tier=tier == TITLE_TIER
        )
        rows = backend.window(
            cursor,
            Window(
                select=f"d.id, {rank}, {score}, d.download_count, d.view_count, d.created_at",
                select_params=[*rank_params, *score_params],
                from_sql=backend.from_sql(entry=plan.phrases),
                match=match,
                conditions=plan.conditions,
                params=plan.params,
                n=n,
                title=tier == TITLE_TIER,
                narrowed=plan.narrowed,
            ),
        )
        body_found = len(rows)
        title_full = tier == TITLE_TIER and len(rows) >= n
        for doc_id, phrase_rank, value, downloads, views, created in rows:
            if doc_id not in found:
                found[doc_id] = Candidate(
                    int(phrase_rank),
                    tier,
                    round(float(value), 6),
                    downloads,
                    views,
                    created,
                    doc_id,
                )
    return _ranked_page(backend, cursor, plan.parsed, found, offset, need), body_found < body_n


def body_window_moot(found: int, need: int, body_n: int, many: bool, narrowed: bool) -> bool:
    """Whether the body window would change neither the page nor the count, with
    ``found`` title candidates.

    Title matches rank first, so when they fill the page the body window only
    counts, and its count matters only when it could hold every match (filters or
    phrases, or fewer than its size match; ``many``: more than EXACT_LIMIT were
    counted) or exceed the estimate (deep pages).
    """
    if narrowed or found < need:
        return False  # filters or phrases: its size may be the (exact) count
    # Enough matches that it would be full (so the count stays an estimate)...
    full = found >= body_n or (many and body_n <= base.EXACT_LIMIT + 1)
    # ...and the estimate shown is at least EXACT_LIMIT + 1 (rounded), more than
    # both windows together, which are its floor.
    return full and found + body_n <= round_estimate(base.EXACT_LIMIT + 1)


def _ranked_page(
    backend: SearchBackend,
    cursor: CursorWrapper,
    parsed: ParsedQuery,
    found: dict[int, Candidate],
    offset: int,
    need: int,
) -> SearchPage:
    rows = [(c.id, c.rank) for c in popularity_order(found.values())]
    if _promotes(parsed) and offset < PROMOTE_WINDOW:
        rows = promote_public_phrase(backend, cursor, parsed, rows)
    return SearchPage(len(found), [doc_id for doc_id, _ in rows[offset:need]])


def popularity_order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """Candidates in the order of ``order_by("relevance")``: phrase rank, tier, score, most
    downloads, most views, newest, highest id.

    Stable sorts from the last key to the first: newest and highest id break the
    remaining ties (created_at compares as stored, datetime or ISO text).
    """
    ranked = sorted(candidates, key=attrgetter("id"), reverse=True)
    ranked.sort(key=attrgetter("created"), reverse=True)
    ranked.sort(key=lambda c: (c.rank, c.tier, c.score, -c.downloads, -c.views))
    return ranked
