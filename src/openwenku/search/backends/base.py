"""What both backends share: the filters, sorting and the SQL around the match."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection

from ..query import ParsedQuery

# Column weights: the title counts ten times the body, keywords (tags, category,
# description, file name) four times. PostgreSQL's weights A/B/D use the same ratio.
TITLE_WEIGHT, KEYWORDS_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0

SORTS = ("relevance", "newest", "downloads")


@dataclass
class SearchFilters:
    formats: list[str] = field(default_factory=list)
    category_ids: list[int] | None = None
    pages_min: int | None = None
    pages_max: int | None = None
    price: str = ""  # "", "free" or "paid"

    def sql(self) -> tuple[str, list]:
        """Conditions on the document row ``d`` (always: ready documents only)."""
        where, params = ["d.status = %s"], ["ready"]
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


# Up to this many matching documents, everything is exact: every match is counted,
# ranked and checked for quoted phrases. Beyond it (a common word in a large
# library), only bounded candidate sets are ranked and the count is estimated.
EXACT_LIMIT = 1000
# Candidates at scale: documents with a query word in the title or keywords (the
# column weights put them first in any case), then the newest body matches.
TITLE_CANDIDATES = 100
BODY_CANDIDATES = 100
# Matches sampled to estimate the share that passes filters and quoted phrases.
SHARE_SAMPLE = 200
# The deepest page a reader can ask for (selectors.MAX_PAGE x PAGE_SIZE).
MAX_WINDOW = 1000


def title_words(parsed: ParsedQuery) -> list[str]:
    """Words that put a document in the title tier: single characters (人, 的, a)
    would put half the library there, so they count only when nothing else is typed."""
    words = parsed.positive_tokens
    return [t for t in words if len(t) > 1] or words


@dataclass
class Window:
    """A bounded scan of the matches: ``SELECT select FROM ... WHERE match AND
    conditions`` (in the backend's window order), at most ``n`` rows."""

    select: str
    select_params: list
    from_sql: str
    match: tuple[str, list]
    n: int
    conditions: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)
    # The title and keywords candidates (``match`` is title_match_sql()), else matches.
    title: bool = False
    # Filters or phrases among the conditions (they may pass few of the matches).
    narrowed: bool = False
    # A sample: ``select`` is 1 or 0 as these conditions (and parameters) hold.
    flags: tuple[list[str], list] | None = None


@dataclass
class SearchPage:
    total: int  # -1 when not counted
    ids: list[int]
    # True when ``total`` is an estimate (more than EXACT_LIMIT matches).
    approximate: bool = False


def _round_estimate(n: float) -> int:
    """An estimate with two significant digits (约 96,000, not 96,123)."""
    n = round(n)
    if n < 100:
        return n
    digits = len(str(n)) - 2
    return int(round(n / 10**digits) * 10**digits)


class SearchBackend:
    vendor = ""

    def search(
        self,
        parsed: ParsedQuery,
        filters: SearchFilters,
        *,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        exclude_id: int | None = None,
        count: bool = True,
    ) -> tuple[int, list[int]]:
        """(number of matching documents, ids of one page of them, best first)."""
        page = self.search_page(
            parsed,
            filters,
            sort=sort,
            offset=offset,
            limit=limit,
            exclude_id=exclude_id,
            count=count,
        )
        return page.total, page.ids

    def search_page(
        self,
        parsed: ParsedQuery,
        filters: SearchFilters,
        *,
        sort: str = "relevance",
        offset: int = 0,
        limit: int = 20,
        exclude_id: int | None = None,
        count: bool = True,
    ) -> SearchPage:
        match, match_params = self.match_sql(parsed)
        where, where_params = filters.sql()
        conditions, params = [where], list(where_params)
        if exclude_id is not None:
            conditions.append("d.id <> %s")
            params.append(exclude_id)
        phrase_conditions, phrase_params = [], []
        for phrase in parsed.phrases:
            phrase_conditions.append(self.contains_sql())
            phrase_params.append(phrase)
        all_conditions = [match, *conditions, *phrase_conditions]
        all_params = [*match_params, *params, *phrase_params]
        from_sql = f"{self.from_sql()} WHERE {' AND '.join(all_conditions)}"
        narrowed = len(conditions) > 1 or where != "d.status = %s" or bool(phrase_conditions)
        with self.planner(), connection.cursor() as cursor:
            guess = self.quick_count(cursor, match, match_params)
            # Few enough guessed? A bounded look at the index alone: few enough matches
            # to rank them all?
            if (guess is None or guess <= 4 * EXACT_LIMIT) and self.count_first(
                cursor, match, match_params, EXACT_LIMIT + 1
            ) <= EXACT_LIMIT:
                exact_match, exact_params = self.counted_match_sql(match, match_params)
                exact_conditions = [exact_match, *conditions, *phrase_conditions]
                return self._exact(
                    cursor,
                    f"{self.from_sql()} WHERE {' AND '.join(exact_conditions)}",
                    [*exact_params, *params, *phrase_params],
                    parsed,
                    sort,
                    offset,
                    limit,
                    count,
                )
            complete = False
            if sort == "relevance":
                page, complete = self._candidates(
                    cursor,
                    parsed,
                    conditions,
                    params,
                    phrase_conditions,
                    phrase_params,
                    offset,
                    limit,
                    # Counted above: more than EXACT_LIMIT entries match.
                    many=guess is None or guess <= 4 * EXACT_LIMIT,
                    narrowed=narrowed,
                )
            else:
                # Newest or most downloaded first: every match is ordered (as before),
                # with the database's own plan; only the count is estimated.
                with self.default_planner():
                    page = self._exact(cursor, from_sql, all_params, parsed, sort, offset, limit)
            if not count:
                page.total = -1
                return page
            if complete:  # the body window holds every match: its size is the count
                page.approximate = False
                return page
            estimate = guess if guess is not None else self.match_count(cursor, match, match_params)
            if narrowed:
                # The share of a sample of the matches that passes the filters and
                # has the phrases (the index holds ready documents only).
                sample = " AND ".join([*conditions, *phrase_conditions])
                oks = self.window(
                    cursor,
                    Window(
                        select=f"CASE WHEN {sample} THEN 1 ELSE 0 END",
                        select_params=[*params, *phrase_params],
                        from_sql=self.from_sql(entry=bool(phrase_conditions)),
                        match=(match, match_params),
                        n=SHARE_SAMPLE,
                        flags=([*conditions, *phrase_conditions], [*params, *phrase_params]),
                    ),
                )
                passed = sum(ok for (ok,) in oks)
                estimate = estimate * passed / max(len(oks), 1)
            else:
                # More than EXACT_LIMIT entries matched the words: the estimate never
                # says fewer (the planner's guess for several words assumes independence).
                estimate = max(estimate, EXACT_LIMIT + 1)
            page.total = max(_round_estimate(estimate), page.total)
            page.approximate = True
            if not page.ids and offset == 0:
                page.total, page.approximate = 0, False
            return page

    def _exact(self, cursor, from_sql, params, parsed, sort, offset, limit, count=False):
        """Every match counted and ranked (at most EXACT_LIMIT of them)."""
        total = -1
        if count:
            cursor.execute(f"SELECT count(*) {from_sql}", params)
            total = cursor.fetchone()[0]
            if total == 0:
                return SearchPage(0, [])
        score, score_params = self.score_sql(parsed)
        if sort == "newest":
            score_params = []
        cursor.execute(
            f"SELECT d.id {from_sql} ORDER BY {order_by(sort, score)} LIMIT %s OFFSET %s",
            [*params, *score_params, limit, offset],
        )
        return SearchPage(total, [row[0] for row in cursor.fetchall()])

    def _candidates(
        self,
        cursor,
        parsed,
        conditions,
        params,
        phrase_conditions,
        phrase_params,
        offset,
        limit,
        *,
        many: bool = False,
        narrowed: bool = True,
    ) -> tuple[SearchPage, bool]:
        """Rank bounded candidate sets: title/keyword matches first, then body matches.

        Quoted phrases are checked in SQL while a window is collected, so the scan
        stops once the window is full. ``total`` of the page is the number of
        distinct candidates (a floor for the estimate); the flag says whether the
        body window held every match (then that is the exact count).

        The body window is skipped when it changes nothing: title matches rank
        first, so when they fill the page the body window only counts, and its
        count matters only when it could hold every match (filters or phrases, or
        fewer than its size match; ``many``: more than EXACT_LIMIT were counted) or
        exceed the estimate (deep pages).
        """
        need = offset + limit
        title_n = TITLE_CANDIDATES if need <= TITLE_CANDIDATES else MAX_WINDOW
        body_n = BODY_CANDIDATES if need <= BODY_CANDIDATES else MAX_WINDOW
        rows: dict[int, tuple] = {}
        tiers = [self.title_match_sql(parsed), self.match_sql(parsed)]
        body_found = 0
        for tier, ((tier_match, tier_params), n) in enumerate(
            zip(tiers, (title_n, body_n), strict=True)
        ):
            if tier == 1 and self._body_window_moot(rows, need, body_n, many, narrowed):
                return self._ranked_page(rows, offset, need), False
            score, score_params = self.candidate_score_sql(parsed, title_tier=tier == 0)
            found = self.window(
                cursor,
                Window(
                    select=f"d.id, {score}, d.download_count, d.view_count, d.created_at",
                    select_params=score_params,
                    from_sql=self.from_sql(entry=bool(phrase_conditions)),
                    match=(tier_match, tier_params),
                    conditions=[*conditions, *phrase_conditions],
                    params=[*params, *phrase_params],
                    n=n,
                    title=tier == 0,
                    narrowed=narrowed,
                ),
            )
            body_found = len(found)
            for doc_id, value, downloads, views, created in found:
                if doc_id not in rows:
                    rows[doc_id] = (
                        tier,
                        round(float(value), 6),
                        -downloads,
                        -views,
                        created,
                        doc_id,
                    )
        return self._ranked_page(rows, offset, need), body_found < body_n

    @staticmethod
    def _body_window_moot(rows: dict, need: int, body_n: int, many: bool, narrowed: bool) -> bool:
        """Whether the body window would change neither the page nor the count."""
        if narrowed or len(rows) < need:
            return False  # filters or phrases: its size may be the (exact) count
        # Enough matches that it would be full (so the count stays an estimate)...
        full = len(rows) >= body_n or (many and body_n <= EXACT_LIMIT + 1)
        # ...and the estimate shown is at least EXACT_LIMIT + 1 (rounded), more than
        # both windows together, which are its floor.
        return full and len(rows) + body_n <= _round_estimate(EXACT_LIMIT + 1)

    @staticmethod
    def _ranked_page(rows: dict[int, tuple], offset: int, need: int) -> SearchPage:
        ranked = _popularity_order(list(rows.values()))
        return SearchPage(len(rows), [r[5] for r in ranked[offset:need]])

    # --- what each backend provides ---------------------------------------------
    def from_sql(self, entry: bool = True) -> str:
        """FROM the match joined to the document ``d`` (and its entry ``e``)."""
        raise NotImplementedError

    def match_from_sql(self) -> str:
        """FROM the index alone (for a match without the documents)."""
        raise NotImplementedError

    def planner(self):
        """A context in which search statements run (planner settings)."""
        return nullcontext()

    def default_planner(self):
        """Undo ``planner()`` for a statement that is better left to the database."""
        return nullcontext()

    def window_order(self) -> str:
        """ORDER BY that lets a LIMITed scan of the matches stop early ("" for any order)."""
        return ""

    def quick_count(self, cursor, match: str, match_params: list) -> int | None:
        """A near-free estimate of the matching entries, or None (then it is measured)."""
        return None

    def count_first(self, cursor, match: str, match_params: list, limit: int) -> int:
        """How many entries match, counting no further than ``limit``."""
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {self.match_from_sql()} WHERE {match} "  # noqa: S608
            f"{self.window_order()} LIMIT %s) s",
            [*match_params, limit],
        )
        return cursor.fetchone()[0]

    def counted_match_sql(self, match: str, match_params: list) -> tuple[str, list]:
        """The match once count_first() has counted every matching entry."""
        return match, match_params

    def window(self, cursor, window: Window) -> list[tuple]:
        """The rows of a window: the first ``n`` matches (in ``window_order()``) that
        meet its conditions (the rows in any order)."""
        conditions = " AND ".join([window.match[0], *window.conditions])
        cursor.execute(
            f"SELECT {window.select} {window.from_sql} "
            f"WHERE {conditions} {self.window_order()} LIMIT %s",
            [*window.select_params, *window.match[1], *window.params, window.n],
        )
        return cursor.fetchall()

    def match_count(self, cursor, match: str, match_params: list) -> int:
        """How many index entries match, without looking at the documents."""
        raise NotImplementedError

    def title_match_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        """Matches that have at least one query word in the title or keywords."""
        raise NotImplementedError

    def candidate_score_sql(self, parsed: ParsedQuery, title_tier: bool) -> tuple[str, list]:
        """The ranking expression in a candidate query (lower is better)."""
        return self.score_sql(parsed)

    def match_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        raise NotImplementedError

    def score_sql(self, parsed: ParsedQuery) -> tuple[str, list]:
        """An expression (and its parameters) ranking a match; lower is better."""
        raise NotImplementedError

    def contains_sql(self) -> str:
        raise NotImplementedError

    def title_prefix_ids(self, tokens: list[str], prefix: str, limit: int) -> list[int]:
        raise NotImplementedError

    def after_write(self, document_id: int, title: str, keywords: str, body: str) -> None:
        """Bring backend-specific structures in step with a written SearchEntry row."""

    def optimize(self) -> None:
        """Compact the index after a bulk rebuild."""

    def size_bytes(self) -> int:
        raise NotImplementedError


def _popularity_order(ranked: list[tuple]) -> list[tuple]:
    """(tier, score, -downloads, -views, created, id): the order of ``order_by()``.

    Stable sorts from the last key to the first: newest and highest id break the
    remaining ties (created_at compares as stored, datetime or ISO text).
    """
    ranked = sorted(ranked, key=lambda r: r[5], reverse=True)
    ranked.sort(key=lambda r: r[4], reverse=True)
    ranked.sort(key=lambda r: r[:4])
    return ranked
