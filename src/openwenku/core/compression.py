"""Compression of the site's text answers (issue 14).

Django's :class:`~django.middleware.gzip.GZipMiddleware` with one restriction:
only text answers (HTML, JSON, JavaScript, CSS, XML, SVG) are compressed. Page
images, covers and downloads are already compressed formats; compressing them
again costs CPU, drops their Content-Length (download progress) and their byte
ranges. Django pads every compressed answer with random bytes against BREACH.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/javascript",
    "application/xml",
    "application/problem+json",
    "image/svg+xml",
)


class TextGZipMiddleware(GZipMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
