"""Page image URLs that cannot be guessed and do not outlive their authorisation.

A page image URL carries an expiry, the reader it was issued to (0 for a free
preview page, which anyone may see) and an HMAC of (document, page, reader,
expiry) under the site's secret key. The image view refuses a URL whose
signature, reader or expiry does not match, and then checks the reader's
right to that page again, so a refund, a lowered preview or a revoked
purchase takes effect on the next request even for a URL still unexpired.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare

from openwenku.documents.models import Document

from .policy import AccessDenied, Reader, Reason

_SALT = "openwenku.market.page-image"  # unchanged since it moved here: old URLs stay valid
# Free pages: one URL per 6-hour window, valid 6-12 hours, so browsers can cache them.
PUBLIC_WINDOW = 6 * 3600
# Paid pages: valid 30-35 minutes for the reader they were issued to.
PRIVATE_TTL = 30 * 60
PRIVATE_ROUND = 5 * 60


def _signature(document_id: int, number: int, reader: int, expires: int) -> str:
    signer = signing.Signer(salt=_SALT, algorithm="sha256")
    return signer.signature(f"{document_id}:{number}:{reader}:{expires}")


def page_image_url(
    document: Document, number: int, user: Reader, *, free: bool, now: float | None = None
) -> str:
    """The URL of one page image for ``user``; ``free`` pages get a shared URL."""
    now = int(now if now is not None else time.time())
    if free:
        reader = 0
        expires = (now // PUBLIC_WINDOW + 2) * PUBLIC_WINDOW
    else:
        reader = user.pk if user is not None and user.is_authenticated else 0
        expires = (now // PRIVATE_ROUND + 1) * PRIVATE_ROUND + PRIVATE_TTL
    base = reverse("documents:page_image", args=[document.pk, number])
    sig = _signature(document.pk, number, reader, expires)
    return f"{base}?e={expires}&r={reader}&s={sig}"


@dataclass(frozen=True)
class PageGrant:
    reader: int
    expires: int

    @property
    def cache_control(self) -> str:
        if self.reader == 0:
            return "private, max-age=3600"
        # A paid page must not outlive a refund in the browser's cache either.
        return "private, no-store"


def verify_page_request(request: HttpRequest, document_id: int, number: int) -> PageGrant:
    """The grant carried by the request's query string, or a 404 refusal."""
    try:
        expires = int(request.GET.get("e", ""))
        reader = int(request.GET.get("r", ""))
    except ValueError:
        raise AccessDenied(Reason.NO_SUCH_PAGE) from None
    sig = request.GET.get("s", "")
    if expires < time.time():
        raise AccessDenied(Reason.NO_SUCH_PAGE)
    if reader != 0 and (not request.user.is_authenticated or request.user.pk != reader):
        raise AccessDenied(Reason.NO_SUCH_PAGE)
    if not constant_time_compare(sig, _signature(document_id, number, reader, expires)):
        raise AccessDenied(Reason.NO_SUCH_PAGE)
    return PageGrant(reader=reader, expires=expires)
