"""Ninja pagination classes that keep the shapes the API has always answered.

``NumberedPagination``: ``{"count", "page", "pages", "results"}`` with a fixed page
size; a page number out of range answers the nearest page (as before ninja
paginated it). ``ListPagination``: a bare JSON list, one page of it, for lists
that were always plain arrays (``?page=`` picks the page).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Schema
from ninja.pagination import PaginationBase

# Offsets beyond this answer an empty page rather than overflow the database's integers.
_MAX_OFFSET = 2**53


def _page_number(requested: int, count: int, page_size: int) -> tuple[int, int]:
    """(page, pages): the requested page moved into 1…pages."""
    pages = max(1, math.ceil(count / page_size))
    return min(max(1, requested), pages), pages


class NumberedPagination(PaginationBase):
    class Input(Schema):
        page: int = 1

    class Output(Schema):
        count: int
        page: int
        pages: int
        results: list[Any]

    items_attribute = "results"

    def __init__(self, *, page_size: int = 50, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        page, pages = _page_number(pagination.page, count, self.page_size)
        start = (page - 1) * self.page_size
        return {
            "count": count,
            "page": page,
            "pages": pages,
            "results": queryset[start : start + self.page_size],
        }


class ListPagination(PaginationBase):
    class Input(Schema):
        page: int = 1

    # No envelope: the response stays the endpoint's own list schema.
    Output = None  # type: ignore[assignment]

    def __init__(self, *, page_size: int = 50, **kwargs: Any) -> None:
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> list[Any]:
        start = (max(1, pagination.page) - 1) * self.page_size
        if start > _MAX_OFFSET:  # past any list's end, and beyond what SQL's OFFSET takes
            return []
        return list(queryset[start : start + self.page_size])
