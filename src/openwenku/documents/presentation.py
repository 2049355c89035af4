"""How a document's text is laid out on its page (资源描述)."""

from __future__ import annotations

SEGMENT_CHARS = 300
VISIBLE_CHARS = 5000
MAX_TEXT_CHARS = 60000


def description_segments(text: str) -> tuple[list[str], list[str]]:
    """The text cut into numbered 300-character segments: (shown, behind 展开阅读全文)."""
    flat = " ".join(text.split("\n"))[:MAX_TEXT_CHARS]
    segments = [flat[i : i + SEGMENT_CHARS] for i in range(0, len(flat), SEGMENT_CHARS)]
    shown = VISIBLE_CHARS // SEGMENT_CHARS
    return segments[:shown], segments[shown:]


def meta_description(document, text: str) -> str:
    source = " ".join(text.split())[:150] if text else ""
    if not source:
        source = document.description or document.title
    return source[:150]
