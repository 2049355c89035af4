"""What operators see about searches: top queries, queries with no results."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Min
from django.utils import timezone

from .backends import get_backend
from .models import QueryLog, SearchEntry


def query_report(*, days: int = 7, limit: int = 50) -> dict:
    since = timezone.now() - dt.timedelta(days=days)
    recent = QueryLog.objects.filter(created_at__gte=since)
    top = list(
        recent.values("query")
        .annotate(searches=Count("id"), best=Max("results"))
        .order_by("-searches", "query")[:limit]
    )
    zero = list(
        recent.values("query")
        .annotate(searches=Count("id"), best=Max("results"), last=Max("created_at"))
        .filter(best=0)
        .order_by("-searches", "-last")[:limit]
    )
    totals = recent.aggregate(searches=Count("id"), first=Min("created_at"))
    zero_searches = recent.filter(results=0).count()
    try:
        index_bytes = get_backend().size_bytes()
    except Exception:  # dbstat may be missing from a SQLite build; the report goes on
        index_bytes = None
    return {
        "top_queries": top,
        "zero_queries": zero,
        "searches": totals["searches"],
        "zero_searches": zero_searches,
        "indexed_documents": SearchEntry.objects.count(),
        "index_bytes": index_bytes,
    }
