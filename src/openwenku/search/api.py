"""Search over the API: the same results as /search, as JSON."""

from __future__ import annotations

from datetime import datetime

from ninja import Query, Router, Schema

from openwenku.api.auth import OPTIONAL_AUTH

from . import selectors, services
from .filters import parse_params

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = ""
    format: str = ""
    category: str = ""
    pages_min: int | None = None
    pages_max: int | None = None
    price: str = ""
    sort: str = "relevance"
    page: int = 1


class SnippetOut(Schema):
    page: int
    text: str
    highlights: list[tuple[int, int]]


class HitOut(Schema):
    id: int
    title: str
    url: str
    format: str
    page_count: int
    uploader: str
    created_at: datetime
    price: int
    download_count: int
    view_count: int
    category: str | None
    snippet: SnippetOut | None


class SearchOut(Schema):
    query: str
    count: int
    # True when count is an estimate (more than a thousand matches).
    count_is_estimate: bool = False
    page: int
    pages: int
    relaxed: bool
    results: list[HitOut]
    related_searches: list[str]


class SuggestionOut(Schema):
    text: str
    kind: str
    url: str | None = None


@router.get("", response=SearchOut, auth=OPTIONAL_AUTH)
def search(request, params: Query[SearchIn]):
    """Full-text search of titles, keywords and document bodies.

    Several words mean all of them; ``"…"`` matches a phrase; ``-word`` excludes;
    ``OR`` between words means either. Snippets (≤120 characters, with the page
    they come from) are only cut from a document's free preview pages.
    """
    data = {k: v for k, v in params.dict().items() if v is not None}
    parsed = parse_params(data)
    results = selectors.search_documents(
        query=parsed.q, filters=parsed.filters(), sort=parsed.sort, page=parsed.page
    )
    if not results.query.is_empty and parsed.page == 1:
        services.search_log_query(query=results.query.text, results=results.total)
    hits = []
    for hit in results.hits:
        d = hit.document
        snippet = None
        if hit.snippet:
            snippet = {
                "page": hit.snippet.page,
                "text": hit.snippet.text,
                "highlights": hit.snippet.highlights,
            }
        hits.append(
            {
                "id": d.pk,
                "title": d.title,
                "url": request.build_absolute_uri(d.get_absolute_url()),
                "format": d.format,
                "page_count": d.page_count,
                "uploader": d.owner.masked_name,
                "created_at": d.created_at,
                "price": d.price,
                "download_count": d.download_count,
                "view_count": d.view_count,
                "category": str(d.category) if d.category_id else None,
                "snippet": snippet,
            }
        )
    return {
        "query": results.query.text,
        "count": results.total,
        "count_is_estimate": results.approximate,
        "page": results.page,
        "pages": results.pages,
        "relaxed": results.relaxed,
        "results": hits,
        "related_searches": selectors.related_searches(results),
    }


@router.get("suggest", response=list[SuggestionOut], auth=OPTIONAL_AUTH)
def suggest(request, q: str = ""):
    """Completions for what is being typed: popular searches and document titles."""
    return selectors.suggestions(q)
