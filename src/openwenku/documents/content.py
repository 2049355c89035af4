"""The minimum-content rule: is a document substantial enough to count?

One definition, used by the market (an upload earns a reward only if it meets
the rule) and by the content-integrity checks (which flag documents that do
not). A document is judged by its page count and the characters of text the
conversion (and OCR, after publishing) extracted: ``Document.text_chars``,
which the conversion keeps up to date. Limits come from the settings
``OPENWENKU_MIN_PAGES`` and ``OPENWENKU_MIN_TEXT_CHARS``.

``reward_vetoes`` is the hook for later checks that should also withhold an
upload reward (a near-duplicate of an existing document, a document held for
review): a higher app registers a callable in its ``AppConfig.ready()`` with
``register_reward_veto``; it receives the document and returns True to veto.
The market asks ``reward_eligible()`` and knows nothing of those apps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from .models import Document

RewardVeto = Callable[[Document], bool]
reward_vetoes: list[RewardVeto] = []


@dataclass(frozen=True)
class MinimumContent:
    pages: int
    text_chars: int


def minimum_content() -> MinimumContent:
    limits = settings.OPENWENKU
    return MinimumContent(pages=limits["MIN_PAGES"], text_chars=limits["MIN_TEXT_CHARS"])


def meets_minimum_content(document: Document) -> bool:
    """True if the document has enough pages and enough text to count."""
    minimum = minimum_content()
    return document.page_count >= minimum.pages and document.text_chars >= minimum.text_chars


def register_reward_veto(veto: RewardVeto) -> None:
    """Let a later check withhold upload rewards (idempotent)."""
    if veto not in reward_vetoes:
        reward_vetoes.append(veto)


def reward_eligible(document: Document) -> bool:
    """May this published document earn its uploader a reward (now)?

    It must be ready, meet the minimum-content rule, and no registered check
    may veto it. A document refused now may qualify later (OCR adds text).
    """
    if document.status != Document.Status.READY or not meets_minimum_content(document):
        return False
    return not any(veto(document) for veto in reward_vetoes)
