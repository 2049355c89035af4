"""Searching: results with snippets, suggestions, related searches, more-like-this."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.core.cache import cache

from openwenku.access.selectors import listable_documents
from openwenku.documents.models import Document

from . import analysis
from .backends import get_backend
from .models import QueryStat, SearchEntry
from .planner import SearchFilters, search_page
from .query import Alternative, ParsedQuery, clean, parse
from .snippets import Snippet, highlight, page_snippets

PAGE_SIZE = 20
MAX_PAGE = 50


def _setting(name: str, default: int) -> int:
    return settings.OPENWENKU.get("SEARCH", {}).get(name, default)


class Suggestion(TypedDict):
    text: str
    kind: str  # "query" (a popular search) or "title" (a document)
    url: str | None


@dataclass
class SearchHit:
    document: Document
    title_segments: list[tuple[str, bool]]
    snippet: Snippet | None


@dataclass
class SearchResults:
    query: ParsedQuery
    total: int = 0
    page: int = 1
    page_size: int = PAGE_SIZE
    hits: list[SearchHit] = field(default_factory=list)
    # True when no document had all the words and these have some of them.
    relaxed: bool = False
    # True when ``total`` is an estimate (a very common word: "about N results").
    approximate: bool = False

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / self.page_size)))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _ordered_documents(ids: list[int]) -> list[Document]:
    """The documents in the given order, public ones only (checked again here)."""
    # No ORDER BY (the documents' default): SQLite would then walk its status and
    # date index over every ready document instead of looking the ids up.
    documents = listable_documents().filter(pk__in=ids).select_related("owner", "category")
    by_id = {d.pk: d for d in documents.order_by()}
    return [by_id[i] for i in ids if i in by_id]


def search_documents(
    *,
    query: str,
    filters: SearchFilters | None = None,
    sort: str = "relevance",
    page: int = 1,
    page_size: int = PAGE_SIZE,
) -> SearchResults:
    parsed = parse(query)
    page = max(1, min(MAX_PAGE, page))
    results = SearchResults(query=parsed, page=page, page_size=page_size)
    if parsed.is_empty:
        return results
    backend, filters = get_backend(), filters or SearchFilters()
    offset = (page - 1) * page_size
    found = search_page(
        backend=backend, parsed=parsed, filters=filters, sort=sort, offset=offset, limit=page_size
    )
    if found.total == 0 and len(parsed.positive_tokens) > 1:
        found = search_page(
            backend=backend,
            parsed=parsed.any_of(),
            filters=filters,
            sort=sort,
            offset=offset,
            limit=page_size,
        )
        results.relaxed = found.total > 0
    results.total, results.approximate, ids = found.total, found.approximate, found.ids
    terms = parsed.highlight_terms
    documents = _ordered_documents(ids)
    snippets = page_snippets(documents, terms)  # for the shown hits only
    results.hits = [
        SearchHit(
            document=d,
            title_segments=highlight(d.title, terms),
            snippet=snippets[d.pk],
        )
        for d in documents
    ]
    return results


def suggestions(prefix: str, limit: int = 8) -> list[Suggestion]:
    """Completions while typing: popular searches, then matching titles."""
    text = clean(prefix)[:40]
    if not text:
        return []
    out: list[Suggestion] = []
    min_count = _setting("SUGGEST_MIN_COUNT", 3)
    folded = analysis.normalize(text)
    for q in (
        QueryStat.objects.filter(query__startswith=folded, count__gte=min_count, last_results__gt=0)
        .order_by("-count")
        .values_list("query", flat=True)[: limit // 2]
    ):
        out.append({"text": q, "kind": "query", "url": None})
    words = analysis.tokens(text, for_index=False)
    if words:
        complete, partial = (words, "") if text.endswith(" ") else (words[:-1], words[-1])
        ids = get_backend().title_prefix_ids(complete, partial, limit)
        for d in _ordered_documents(ids):
            out.append({"text": d.title, "kind": "title", "url": d.get_absolute_url()})
    seen: set[str] = set()
    unique: list[Suggestion] = []
    for item in out:
        if item["text"] not in seen:
            seen.add(item["text"])
            unique.append(item)
    return unique[:limit]


def _logged_queries_with(terms: list[str], exclude: set[str], limit: int) -> list[str]:
    min_count = _setting("SUGGEST_MIN_COUNT", 3)
    out: list[str] = []
    for term in terms[:3]:
        rows = (
            QueryStat.objects.filter(query__contains=term, count__gte=min_count, last_results__gt=0)
            .order_by("-count")
            .values_list("query", flat=True)[:limit]
        )
        for q in rows:
            if q not in exclude and q not in out:
                out.append(q)
    return out[:limit]


def related_searches(results: SearchResults, limit: int = 10) -> list[str]:
    """Other searches worth trying: logged ones sharing a word, then the hits' keywords."""
    parsed = results.query
    if parsed.is_empty:
        return []
    words = [t for t in parsed.positive_tokens if len(t) > 1] or parsed.positive_tokens
    exclude = {parsed.text, analysis.normalize(parsed.text)}
    out = _logged_queries_with(words, exclude, limit)
    ids = [h.document.pk for h in results.hits[:8]]
    counter: Counter[str] = Counter()
    for terms in SearchEntry.objects.filter(document_id__in=ids).values_list(
        "top_terms", flat=True
    ):
        counter.update(
            t for t in terms[:8] if not any(w in t or t in w for w in parsed.positive_tokens)
        )
    short = len(parsed.text) <= 12
    for term, _ in counter.most_common(limit):
        candidate = f"{parsed.text} {term}" if short else term
        if candidate not in out and candidate not in exclude:
            out.append(candidate)
        if len(out) >= limit:
            break
    return out[:limit]


def related_searches_for_document(document: Document, limit: int = 10) -> list[str]:
    """The related searches on a document page: its keywords and logged searches
    using them."""
    key = f"search:related-searches:{document.pk}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    terms = (
        SearchEntry.objects.filter(document_id=document.pk)
        .values_list("top_terms", flat=True)
        .first()
        or []
    )
    out = _logged_queries_with(terms, set(), limit // 2)
    for term in terms:
        if term not in out:
            out.append(term)
    out = out[:limit]
    cache.set(key, out, 600)
    return out


def more_like_this(document: Document, limit: int = 10) -> list[Document]:
    """Documents whose text is most like this one's (a query of its top keywords)."""
    key = f"search:mlt:{document.pk}:{limit}"
    ids = cache.get(key)
    if ids is None:
        terms = (
            SearchEntry.objects.filter(document_id=document.pk)
            .values_list("top_terms", flat=True)
            .first()
            or []
        )
        ids = []
        if terms:
            parsed = ParsedQuery(
                text=" ".join(terms[:10]),
                groups=[tuple(Alternative(tokens=(t,)) for t in terms[:10])],
            )
            ids = search_page(
                parsed=parsed,
                filters=SearchFilters(),
                limit=limit,
                exclude_id=document.pk,
                count=False,
            ).ids
        cache.set(key, ids, 600)
    return _ordered_documents(ids)


def popular_queries(limit: int = 10) -> list[str]:
    """Searches many readers made and that found something (for the zero-result page)."""
    return list(
        QueryStat.objects.filter(count__gte=_setting("SUGGEST_MIN_COUNT", 3), last_results__gt=0)
        .order_by("-count")
        .values_list("query", flat=True)[:limit]
    )
