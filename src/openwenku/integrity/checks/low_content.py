"""Low content: fewer pages or characters than the operator's minimum
(documents.content, ``OPENWENKU_MIN_PAGES`` / ``OPENWENKU_MIN_TEXT_CHARS``),
or mostly blank pages (almost no text and a nearly uniform page image).

A document-level ``low_content`` finding costs the upload reward (severity
``OPENWENKU_LOW_CONTENT``, "info" by default); each blank page is recorded as
``blank_page`` (information only).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext_lazy as _

from openwenku.documents.content import meets_minimum_content, minimum_content
from openwenku.documents.models import Document, DocumentPage

from ..registry import Finding, register_check

logger = logging.getLogger(__name__)

CODE = "low_content"


def image_stddev(name: str) -> float:
    """The standard deviation of a page image's grey levels, from a small copy."""
    from PIL import Image, ImageStat

    with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
        image.draft("L", (200, 800))
        grey = image.convert("L")
        grey.thumbnail((200, 800))
    return float(ImageStat.Stat(grey).stddev[0])


def check(document: Document) -> list[Finding]:
    policy = settings.OPENWENKU["CHECKS"]
    findings: list[Finding] = []
    blank: list[int] = []
    total = 0
    if document.pk:
        rows = DocumentPage.objects.filter(document=document).order_by("number")
        for number, text, image in rows.values_list("number", "text", "image"):
            total += 1
            if len("".join(text.split())) >= policy["BLANK_PAGE_CHARS"] or not image:
                continue
            try:
                uniform = image_stddev(image) < policy["BLANK_PAGE_STDDEV"]
            except Exception:
                logger.warning("low content: cannot read page %s of %s", number, document.pk)
                continue
            if uniform:
                blank.append(number)
                findings.append(Finding(kind="blank_page", severity="info", page=number))
    minimum = minimum_content()
    details = {
        "pages": document.page_count,
        "text_chars": document.text_chars,
        "min_pages": minimum.pages,
        "min_text_chars": minimum.text_chars,
        "blank_pages": len(blank),
    }
    if not meets_minimum_content(document):
        findings.insert(
            0,
            Finding(kind="low_content", severity=policy["LOW_CONTENT"], details=details),
        )
    elif total and len(blank) * 2 >= total:
        findings.insert(
            0,
            Finding(
                kind="low_content",
                severity=policy["LOW_CONTENT"],
                score=len(blank) / total,
                details=details,
            ),
        )
    return findings[: policy["MAX_FINDINGS"]]


def register() -> None:
    register_check(CODE, check, label=_("Low content"))
