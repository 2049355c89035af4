"""Search over the API (mounted at /api/search): the same results as /search, as JSON."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router

from openwenku.accounts.throttling import client_ip
from openwenku.search import selectors, services
from openwenku.search.filters import parse_params
from openwenku.search.selectors import SearchResults, Suggestion

from .auth import OPTIONAL_AUTH
from .schemas.errors import errors
from .schemas.search import SearchIn, SearchOut, SuggestionOut

router = Router(tags=["search"])


@router.get("", response={200: SearchOut, **errors(403, 429)}, auth=OPTIONAL_AUTH)
def search(request: HttpRequest, params: Query[SearchIn]) -> SearchResults:
    """Full-text search of titles, keywords and document bodies.

    Several words mean all of them; ``"…"`` matches a phrase; ``-word`` excludes;
    ``OR`` between words means either. Snippets (≤120 characters, with the page
    they come from) are only cut from a document's free preview pages, and a
    quoted phrase is only looked for there (words find every page). Rate-limited
    per client and per member (429 ``rate_limited`` with ``Retry-After``).
    """
    services.search_rate_check(
        client=client_ip(request),
        member_id=request.user.pk if request.user.is_authenticated else None,
    )
    data = {k: v for k, v in params.dict().items() if v is not None}
    parsed = parse_params(data)
    results = selectors.search_documents(
        query=parsed.q, filters=parsed.filters(), sort=parsed.sort, page=parsed.page
    )
    if not results.query.is_empty and parsed.page == 1:
        services.search_log_query(query=results.query.text, results=results.total)
    return results


@router.get("suggest", response={200: list[SuggestionOut], **errors(403)}, auth=OPTIONAL_AUTH)
def suggest(request: HttpRequest, q: str = "") -> list[Suggestion]:
    """Completions for what is being typed: popular searches and document titles."""
    return selectors.suggestions(q)
