"""Absolute links: from the configured site address, never from the request's Host.

Canonical URLs, feeds and anything a crawler or a mail reader keeps must name one
site, whatever host name a visitor (or an attacker's Host header) used."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def absolute_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` (starting with /) on the site's configured address (OPENWENKU_SITE_URL);
    only when none is configured (development), on the address the request came to."""
    site_url = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if site_url:
        return site_url + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
