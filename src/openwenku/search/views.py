"""The /search page, suggestions while typing, and the operators' search report."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required, permission_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from openwenku.accounts.throttling import client_ip
from openwenku.documents.selectors import category_label, category_tree

from . import selectors, services
from .filters import FORMAT_LABELS, PAGE_RANGES, PRICE_LABELS, SORT_LABELS, parse_params
from .reports import query_report


@require_safe
def search(request):
    # Past the limit: a 429 page with the reason (core.middleware, Retry-After set).
    services.search_rate_check(
        client=client_ip(request),
        member_id=request.user.pk if request.user.is_authenticated else None,
    )
    params = parse_params(request.GET)
    results = selectors.search_documents(
        query=params.q, filters=params.filters(), sort=params.sort, page=params.page
    )
    if not results.query.is_empty and params.page == 1:
        services.search_log_query(query=results.query.text, results=results.total)
    related = selectors.related_searches(results) if not results.query.is_empty else []

    def link(**changes) -> str:
        return "?" + urlencode(params.as_query(page=None, **changes))

    context = {
        "params": params,
        "results": results,
        "related_searches": related,
        "format_options": [(k, v, link(format=k)) for k, v in FORMAT_LABELS.items()],
        "format_any": link(format=None),
        "page_options": [(k, _range_label(k), link(pages=k)) for k in PAGE_RANGES],
        "pages_any": link(pages=None),
        "price_options": [(k, v, link(price=k)) for k, v in PRICE_LABELS.items()],
        "price_any": link(price=None),
        "sort_options": [
            (k, v, link(sort=k if k != "relevance" else None)) for k, v in SORT_LABELS.items()
        ],
        "category_options": [(c, category_label(c, depth)) for c, depth in category_tree()],
        "previous_url": "?" + urlencode(params.as_query(page=results.page - 1)),
        "next_url": "?" + urlencode(params.as_query(page=results.page + 1)),
        "popular": selectors.popular_queries(10) if results.total == 0 else [],
        "start_index": (results.page - 1) * results.page_size + 1,
    }
    return render(request, "search/results.html", context)


def _range_label(key: str) -> str:
    return key[:-1] + "+" if key.endswith("-") else key


@require_safe
@cache_control(max_age=60, public=True)
def suggest(request):
    return JsonResponse({"suggestions": selectors.suggestions(request.GET.get("q", ""))})


@login_required
@permission_required("search.view_querystat", raise_exception=True)
@require_safe
def insights(request):
    """What readers search for (operators with the permission to view query statistics)."""
    days = {"1": 1, "7": 7, "30": 30, "90": 90}.get(request.GET.get("days", "7"), 7)
    return render(request, "search/insights.html", {**query_report(days=days), "days": days})
