"""Schemas of the search endpoints: outputs read ``search.selectors``' results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from openwenku.search import selectors
from openwenku.search.selectors import SearchHit, SearchResults


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
    """One hit: the document's fields and, if any, a snippet of its free pages."""

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

    @staticmethod
    def resolve_id(obj: SearchHit) -> int:
        return obj.document.pk

    @staticmethod
    def resolve_title(obj: SearchHit) -> str:
        return obj.document.title

    @staticmethod
    def resolve_url(obj: SearchHit, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.document.get_absolute_url())

    @staticmethod
    def resolve_format(obj: SearchHit) -> str:
        return obj.document.format

    @staticmethod
    def resolve_page_count(obj: SearchHit) -> int:
        return obj.document.page_count

    @staticmethod
    def resolve_uploader(obj: SearchHit) -> str:
        return obj.document.owner.masked_name

    @staticmethod
    def resolve_created_at(obj: SearchHit) -> datetime:
        return obj.document.created_at

    @staticmethod
    def resolve_price(obj: SearchHit) -> int:
        return obj.document.price

    @staticmethod
    def resolve_download_count(obj: SearchHit) -> int:
        return obj.document.download_count

    @staticmethod
    def resolve_view_count(obj: SearchHit) -> int:
        return obj.document.view_count

    @staticmethod
    def resolve_category(obj: SearchHit) -> str | None:
        return str(obj.document.category) if obj.document.category_id else None


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

    @staticmethod
    def resolve_query(obj: SearchResults) -> str:
        return obj.query.text

    @staticmethod
    def resolve_count(obj: SearchResults) -> int:
        return obj.total

    @staticmethod
    def resolve_count_is_estimate(obj: SearchResults) -> bool:
        return obj.approximate

    @staticmethod
    def resolve_results(obj: SearchResults) -> list[SearchHit]:
        return obj.hits

    @staticmethod
    def resolve_related_searches(obj: SearchResults) -> list[str]:
        return selectors.related_searches(obj)


class SuggestionOut(Schema):
    text: str
    kind: str
    url: str | None = None
