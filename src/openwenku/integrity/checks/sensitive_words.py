"""Sensitive words: the operator's list over the title, description, tags and
every page's text (OCR text included, it is merged into the page's text)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document, DocumentPage

from ..registry import Finding, register_check
from ..wordlist import matcher

CODE = "sensitive_words"


def _segments(document: Document) -> list[tuple[int | None, str, str]]:
    """(page, field, text): the metadata first, then every page."""
    segments: list[tuple[int | None, str, str]] = [
        (None, "title", document.title),
        (None, "description", document.description),
    ]
    if document.pk:
        tags = " ".join(document.tags.values_list("name", flat=True))
        segments.append((None, "tags", tags))
        pages = DocumentPage.objects.filter(document=document).order_by("number")
        segments += [(n, "text", t) for n, t in pages.values_list("number", "text")]
    return segments


def check(document: Document) -> list[Finding]:
    words = matcher()
    if not words.size:
        return []
    limit = settings.OPENWENKU["CHECKS"]["MAX_FINDINGS"]
    findings: list[Finding] = []
    counts: dict[str, int] = {}
    for page, field, text in _segments(document):
        if not text:
            continue
        for match in words.find(text):
            counts[match.entry.word] = counts.get(match.entry.word, 0) + 1
            if len(findings) < limit:
                findings.append(
                    Finding(
                        kind="sensitive_word",
                        severity=match.entry.action,
                        page=page,
                        excerpt=match.excerpt,
                        context=match.context,
                        details={
                            "word": match.entry.word,
                            "category": match.entry.category,
                            "field": field,
                        },
                    )
                )
    for finding in findings:
        finding.details["count"] = counts[finding.details["word"]]
    return findings


def register() -> None:
    register_check(CODE, check, label=_("Sensitive words"), metadata=True)
