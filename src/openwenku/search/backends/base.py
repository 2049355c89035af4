"""The search backend interface: what the planner (``search.planner``) asks of a
database's full-text index, and what both implementations share.

A backend turns a parsed query into SQL of its own (the match, the score, the
phrase test, the title and keywords tier) and reads bounded windows of the
matches. It decides nothing about ranking tiers, counting or estimating: that is
the planner's.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from ..query import ParsedQuery

# SQL parameters, and a fragment of SQL with the parameters it takes.
Params = list[Any]
Sql = tuple[str, Params]

# Column weights: the title counts ten times the body, keywords (tags, category,
# description, file name) four times. PostgreSQL's weights A/B/D use the same ratio.
TITLE_WEIGHT, KEYWORDS_WEIGHT, BODY_WEIGHT = 10.0, 4.0, 1.0

# Up to this many matching documents, everything is exact: every match is counted,
# ranked and checked for quoted phrases. Beyond it (a common word in a large
# library), only bounded candidate sets are ranked and the count is estimated. The
# backends size their own looks at the first matches by it.
EXACT_LIMIT = 1000
# Matches sampled to estimate the share that passes filters and quoted phrases.
SHARE_SAMPLE = 200


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
    select_params: Params
    from_sql: str
    match: Sql
    n: int
    conditions: list[str] = field(default_factory=list)
    params: Params = field(default_factory=list)
    # The title and keywords candidates (``match`` is title_match_sql()), else matches.
    title: bool = False
    # Filters or phrases among the conditions (they may pass few of the matches).
    narrowed: bool = False
    # A sample: ``select`` is 1 or 0 as these conditions (and parameters) hold.
    flags: tuple[list[str], Params] | None = None


class SearchBackend:
    """One database's full-text index. A fresh instance serves one search at a time
    (an implementation may remember what it read during a search; see planner())."""

    vendor = ""

    # --- SQL of a search ----------------------------------------------------------
    def from_sql(self, entry: bool = True) -> str:
        """FROM the match joined to the document ``d`` (and its entry ``e``)."""
        raise NotImplementedError

    def match_from_sql(self) -> str:
        """FROM the index alone (for a match without the documents)."""
        raise NotImplementedError

    def match_sql(self, parsed: ParsedQuery) -> Sql:
        """The condition that an index entry matches the query."""
        raise NotImplementedError

    def title_match_sql(self, parsed: ParsedQuery, all_words: bool = False) -> Sql:
        """Matches that have at least one query word (``all_words``: every one) in the
        title or keywords."""
        raise NotImplementedError

    def score_sql(self, parsed: ParsedQuery) -> Sql:
        """An expression (and its parameters) ranking a match; lower is better."""
        raise NotImplementedError

    def candidate_score_sql(self, parsed: ParsedQuery, title_tier: bool) -> Sql:
        """The ranking expression in a candidate query (lower is better)."""
        return self.score_sql(parsed)

    def contains_sql(self) -> str:
        """A condition that the entry's compact text ``e.text`` (of the free preview
        pages only) contains a phrase (%s)."""
        return self.contains_in("e.text")

    def contains_in(self, column: str) -> str:
        """A condition that the text expression ``column`` contains %s."""
        raise NotImplementedError

    def phrase_rank_sql(self, parsed: ParsedQuery) -> Sql:
        """A rank before the score (lower is better), or ("", []) for none: the whole
        query as the title (0), in the title (1), else 3 (2 is for the public text:
        see ``public_phrase_ids``, checked on the first results only, as reading the
        text of every match would cost more than the rest of the search)."""
        phrase = parsed.ranking_phrase
        if not phrase:
            return "", []
        title = "lower(d.title)"
        return (
            f"(CASE WHEN {title} = %s THEN 0 WHEN {self.contains_in(title)} THEN 1 ELSE 3 END)",
            [phrase, phrase],
        )

    def public_phrase_ids(self, cursor: CursorWrapper, ids: list[int], phrase: str) -> set[int]:
        """Which of the documents hold ``phrase`` in their public text (``e.text``: the
        free preview pages only; paid pages must not rank a document, or the order
        of results would tell what they say)."""
        if not ids:
            return set()
        cursor.execute(
            "SELECT e.document_id FROM search_searchentry e "  # noqa: S608
            f"WHERE e.document_id IN ({', '.join(['%s'] * len(ids))}) AND {self.contains_sql()}",
            [*ids, phrase],
        )
        return {row[0] for row in cursor.fetchall()}

    def window_order(self) -> str:
        """ORDER BY that lets a LIMITed scan of the matches stop early ("" for any order)."""
        return ""

    # --- statements of a search -----------------------------------------------------
    def planner(self) -> AbstractContextManager[None]:
        """A context in which the statements of one search run: the database's query
        planner settings, and a fresh start for what the backend remembers."""
        return nullcontext()

    def default_planner(self) -> AbstractContextManager[None]:
        """Undo ``planner()`` for a statement that is better left to the database."""
        return nullcontext()

    def quick_count(self, cursor: CursorWrapper, match: str, match_params: Params) -> int | None:
        """A near-free estimate of the matching entries, or None (then it is measured)."""
        return None

    def count_first(
        self, cursor: CursorWrapper, match: str, match_params: Params, limit: int
    ) -> int:
        """How many entries match, counting no further than ``limit``."""
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 {self.match_from_sql()} WHERE {match} "  # noqa: S608
            f"{self.window_order()} LIMIT %s) s",
            [*match_params, limit],
        )
        return cursor.fetchone()[0]

    def counted_match_sql(self, match: str, match_params: Params) -> Sql:
        """The match once count_first() has counted every matching entry."""
        return match, match_params

    def window(self, cursor: CursorWrapper, window: Window) -> list[tuple[Any, ...]]:
        """The rows of a window: the first ``n`` matches (in ``window_order()``) that
        meet its conditions (the rows in any order)."""
        conditions = " AND ".join([window.match[0], *window.conditions])
        cursor.execute(
            f"SELECT {window.select} {window.from_sql} "
            f"WHERE {conditions} {self.window_order()} LIMIT %s",
            [*window.select_params, *window.match[1], *window.params, window.n],
        )
        return cursor.fetchall()

    def match_count(self, cursor: CursorWrapper, match: str, match_params: Params) -> int:
        """How many index entries match, without looking at the documents."""
        raise NotImplementedError

    # --- outside a search -------------------------------------------------------------
    def title_prefix_ids(self, tokens: list[str], prefix: str, limit: int) -> list[int]:
        """Popular ready documents whose title has the tokens and a word with the prefix."""
        raise NotImplementedError

    def after_write(self, document_id: int, title: str, keywords: str, body: str) -> None:
        """Bring backend-specific structures in step with a written SearchEntry row."""

    def optimize(self) -> None:
        """Compact the index after a bulk rebuild."""

    def size_bytes(self) -> int:
        """The index's size on disk."""
        raise NotImplementedError
