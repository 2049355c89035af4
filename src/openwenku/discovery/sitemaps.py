"""Sitemaps of public documents and categories (django.contrib.sitemaps).

Each section is split into pages of ``LIMIT`` URLs (the protocol allows 50,000);
the index lists every page. Documents come from the access layer's listable set
(never held, unpublished or removed ones), read as (id, updated_at) values in id
order: no model instances and no query per document. Addresses use the configured
site address (OPENWENKU_SITE_URL), not the Host header of the request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, QuerySet
from django.urls import reverse

from openwenku.access.selectors import listable_documents
from openwenku.documents.models import Category

LIMIT = 50_000
_SENTINEL = 987654321


class SiteSitemap(Sitemap):
    """Absolute URLs on OPENWENKU_SITE_URL when it is set (else the request's site)."""

    def get_protocol(self, protocol: str | None = None) -> str:
        site_url = getattr(settings, "SITE_URL", "")
        if site_url:
            return urlsplit(site_url).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site: Any = None) -> str:
        site_url = getattr(settings, "SITE_URL", "")
        if site_url:
            parts = urlsplit(site_url)
            return parts.netloc + parts.path.rstrip("/")
        return super().get_domain(site)

    @property
    def limit(self) -> int:  # type: ignore[override]
        return LIMIT


def _path_pattern(name: str) -> tuple[str, str]:
    """The URL of ``name`` for any id as a prefix and suffix (reversed once)."""
    prefix, _, suffix = reverse(name, args=[_SENTINEL]).partition(str(_SENTINEL))
    return prefix, suffix


class DocumentSitemap(SiteSitemap):
    def items(self) -> QuerySet[Any]:
        return listable_documents().order_by("id").values_list("id", "updated_at")

    def location(self, item: tuple[int, datetime]) -> str:
        if not hasattr(self, "_pattern"):
            self._pattern = _path_pattern("documents:detail")
        prefix, suffix = self._pattern
        return f"{prefix}{item[0]}{suffix}"

    def lastmod(self, item: tuple[int, datetime]) -> datetime:
        return item[1]

    def get_latest_lastmod(self) -> datetime | None:
        return listable_documents().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(SiteSitemap):
    def items(self) -> QuerySet[Any]:
        # Categories with at least one public document, with their newest change.
        return (
            Category.objects.filter(documents__in=listable_documents())
            .annotate(latest=Max("documents__updated_at"))
            .order_by("id")
            .values_list("slug", "latest")
        )

    def location(self, item: tuple[str, datetime]) -> str:
        return reverse("discovery:category", args=[item[0]])

    def lastmod(self, item: tuple[str, datetime]) -> datetime:
        return item[1]


SITEMAPS: dict[str, type[Sitemap[Any]] | Sitemap[Any]] = {
    "documents": DocumentSitemap,
    "categories": CategorySitemap,
}
