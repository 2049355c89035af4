"""QR codes in page images (OpenCV's detector), with what they decode to.

Fast enough for every upload: images are read downscaled in grey, and a long
document is sampled (its first and last pages and evenly between, up to
``OPENWENKU_QR_MAX_PAGES``). Whether a QR code holds the document is the
contact policy (kind "qr" in ``OPENWENKU_CONTACT_HOLD``, by default it does;
on the last page if "qr" is in ``OPENWENKU_CONTACT_LAST_PAGE``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document, DocumentPage

from ..registry import Finding, register_check
from .contact import allowed_domain, severity_of

logger = logging.getLogger(__name__)

CODE = "qr_code"


def sample(numbers: list[int], limit: int) -> list[int]:
    """All of ``numbers`` up to ``limit``, else the first, the last and evenly between."""
    if limit <= 0 or len(numbers) <= limit:
        return numbers
    if limit == 1:
        return numbers[:1]
    step = (len(numbers) - 1) / (limit - 1)
    return sorted({numbers[round(i * step)] for i in range(limit)})


def _grey(name: str, width: int) -> Any:
    import numpy as np
    from PIL import Image

    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.draft("L", (width, width * 4))
        grey = image.convert("L")
    if width and grey.width > width:
        grey = grey.resize(
            (width, round(grey.height * width / grey.width)), Image.Resampling.BILINEAR
        )
    return np.asarray(grey)


def decode_qr(pixels: Any) -> list[str]:
    """The texts of the QR codes found in a grey image (empty strings dropped)."""
    import cv2

    detector = cv2.QRCodeDetector()
    found, _points = detector.detectMulti(pixels)
    if not found:
        return []
    ok, texts, _points, _straight = detector.detectAndDecodeMulti(pixels)
    return [t for t in texts if t] if ok else []


def check(document: Document) -> list[Finding]:
    if not document.pk:
        return []
    policy = settings.OPENWENKU["CHECKS"]
    pages = dict(
        DocumentPage.objects.filter(document=document)
        .exclude(image="")
        .values_list("number", "image")
    )
    numbers = sorted(pages)
    if not numbers:
        return []
    last = numbers[-1]
    findings = []
    for number in sample(numbers, policy["QR_MAX_PAGES"]):
        try:
            texts = decode_qr(_grey(pages[number], policy["QR_WIDTH"]))
        except Exception:  # a page image we cannot read is conversion's business
            logger.warning("QR check: cannot read page %s of document %s", number, document.pk)
            continue
        for text in texts:
            host = (urlsplit(text).hostname or "") if "://" in text else ""
            if host and allowed_domain(host.removeprefix("www.")):
                continue
            findings.append(
                Finding(
                    kind="qr_code",
                    severity=severity_of("qr", number, last, set()),
                    page=number,
                    excerpt=text[:500],
                    context="",
                    details={"type": "qr", "value": text[:2000], "domain": host},
                )
            )
    return findings[: policy["MAX_FINDINGS"]]


def register() -> None:
    register_check(CODE, check, label=_("QR codes in page images"))
