"""Reads of the content checks' stored results (for access, moderation, market)."""

from __future__ import annotations

from openwenku.documents.models import Document

from .models import CheckRun, Hit
from .registry import SEVERITY_RANK, strictest

# Kinds that mean "this upload earns no reward" even when only informational.
NO_REWARD_KINDS = ("low_content",)


def findings_for(document: Document, *, include_accepted: bool = True) -> list[Hit]:
    """Every stored finding of ``document``, strictest first, then by page."""
    hits = Hit.objects.filter(run__document=document).select_related("run", "duplicate_of")
    if not include_accepted:
        hits = hits.filter(accepted=False)
    return sorted(
        hits,
        key=lambda h: (-SEVERITY_RANK.get(h.severity, 0), h.page or 0, h.pk),
    )


def document_outcome(document: Document) -> str:
    """The strictest outcome of ``document``'s stored runs, ignoring accepted findings.

    "pass" (nothing found, or never checked), "info", "hold" or "reject".
    """
    severities = list(
        Hit.objects.filter(run__document=document, accepted=False).values_list(
            "severity", flat=True
        )
    )
    return strictest(severities)


def check_runs_for(document: Document) -> list[CheckRun]:
    return list(CheckRun.objects.filter(document=document).order_by("check_code"))


def blocks_reward(document: Document) -> bool:
    """True if a finding not yet accepted withholds the upload reward:
    low content, or anything that holds or rejects."""
    return (
        Hit.objects.filter(run__document=document, accepted=False)
        .filter(severity__in=("hold", "reject"))
        .exists()
        or Hit.objects.filter(
            run__document=document, accepted=False, kind__in=NO_REWARD_KINDS
        ).exists()
    )
