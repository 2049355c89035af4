"""Reading search filters and sorting from request parameters (page and API alike)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from openwenku.documents import formats
from openwenku.documents.models import Category
from openwenku.documents.selectors import category_descendant_ids

from .planner import SORTS, SearchFilters

# One filter choice per family of formats, from the registry.
FORMAT_GROUPS: dict[str, tuple[str, ...]] = {
    family.code: formats.family_formats(family.code) for family in formats.FAMILIES
}
FORMAT_LABELS = formats.family_labels()
PAGE_RANGES = {
    "1-5": (1, 5),
    "6-20": (6, 20),
    "21-50": (21, 50),
    "51-": (51, None),
}
SORT_LABELS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "downloads": _("Most downloaded"),
}
PRICE_LABELS = {"free": _("Free"), "paid": _("Paid")}


@dataclass
class SearchParams:
    q: str = ""
    format: str = ""
    category: Category | None = None
    pages: str = ""
    pages_min: int | None = None
    pages_max: int | None = None
    price: str = ""
    sort: str = "relevance"
    page: int = 1

    def filters(self) -> SearchFilters:
        formats: list[str] = []
        if self.format:
            formats = list(FORMAT_GROUPS.get(self.format, (self.format,)))
        return SearchFilters(
            formats=formats,
            category_ids=category_descendant_ids(self.category) if self.category else None,
            pages_min=self.pages_min,
            pages_max=self.pages_max,
            price=self.price,
        )

    def as_query(self, **changes: object) -> dict[str, str]:
        """The parameters as they go back into a link, with some changed."""
        values = {
            "q": self.q,
            "format": self.format,
            "category": self.category.slug if self.category else "",
            "pages": self.pages,
            "price": self.price,
            "sort": self.sort if self.sort != "relevance" else "",
            "page": str(self.page) if self.page > 1 else "",
        }
        values.update({k: ("" if v is None else str(v)) for k, v in changes.items()})
        return {k: v for k, v in values.items() if v}


def _int(value: object, lo: int = 0, hi: int = 100_000) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return max(lo, min(hi, number))


def _is_id(value: str) -> bool:
    """ASCII digits that fit a database id; anything else is no such category."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def parse_params(data: Mapping[str, str]) -> SearchParams:
    """Lenient: anything unknown or malformed is ignored, never an error."""
    params = SearchParams(q=str(data.get("q", "") or ""))
    fmt = str(data.get("format", "") or "").lower()
    if fmt in FORMAT_GROUPS or fmt in {f for g in FORMAT_GROUPS.values() for f in g}:
        params.format = fmt
    category = str(data.get("category", "") or "").strip()[:60]
    if category and "\x00" not in category:  # no slug holds NUL; PostgreSQL refuses it
        params.category = Category.objects.filter(slug=category).first() or (
            Category.objects.filter(pk=int(category)).first() if _is_id(category) else None
        )
    pages = str(data.get("pages", "") or "")
    if pages in PAGE_RANGES:
        params.pages = pages
        params.pages_min, params.pages_max = PAGE_RANGES[pages]
    for key in ("pages_min", "pages_max"):
        if data.get(key) not in (None, ""):
            setattr(params, key, _int(data.get(key)))
    price = str(data.get("price", "") or "")
    params.price = price if price in PRICE_LABELS else ""
    sort = str(data.get("sort", "") or "")
    params.sort = sort if sort in SORTS else "relevance"
    params.page = _int(data.get("page", 1), lo=1, hi=50) or 1
    return params
