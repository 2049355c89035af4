"""Near-duplicates (openwenku.similarity): the first uploader wins.

The document is fingerprinted (stored in the shared index, so later uploads are
compared with it), then compared with the documents uploaded BEFORE it:

* similar to a work taken down for copyright (status ``taken_down``), whoever
  uploaded it: ``copyright_duplicate``, severity "reject";
* similar to another member's earlier document: ``near_duplicate``, severity
  ``OPENWENKU_NEAR_DUPLICATE_ACTION`` ("hold" by default, or "info"), linked to
  that document (``duplicate_of_id``); the earliest first;
* similar to the uploader's own earlier document: ``own_duplicate``, severity
  "info" (the uploader is told they already uploaded it); other members'
  documents uploaded after the uploader's own first copy are not reported (the
  uploader came first).

"Similar": max(resemblance, containment of the smaller in the larger) of text
shingles, or of page images for documents without text, at least
``OPENWENKU_NEAR_DUPLICATE_THRESHOLD``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document
from openwenku.similarity import selectors, services
from openwenku.similarity.selectors import Match

from ..registry import Finding, register_check

CODE = "near_duplicate"
TAKEN_DOWN = "taken_down"
# Earlier documents reported per document (the best-scoring ones).
MAX_MATCHES = 20


def _finding(
    kind: str, severity: str, match: Match, other: Mapping[str, Any], context: str
) -> Finding:
    return Finding(
        kind=kind,
        severity=severity,
        excerpt=f"#{other['pk']} {other['title']}"[:500],
        context=context,
        score=round(match.score, 4),
        duplicate_of_id=other["pk"],
        details={
            "title": other["title"],
            "method": match.method,
            "resemblance": match.resemblance,
            "containment_of_new": match.containment_of_new,
            "containment_of_old": match.containment_of_old,
        },
    )


def check(document: Document) -> list[Finding]:
    if not document.pk:
        return []
    services.fingerprint(document)
    matches = selectors.find_similar(document, limit=MAX_MATCHES, earlier_only=True)
    if not matches:
        return []
    others = {
        row["pk"]: row
        for row in Document.objects.filter(pk__in=[m.document_id for m in matches]).values(
            "pk", "owner_id", "status", "title", "created_at"
        )
    }
    action = settings.OPENWENKU["NEAR_DUPLICATE"]["ACTION"]
    severity = "info" if action == "info" else "hold"
    findings: list[Finding] = []
    # The earliest upload first: it is the one this document copies.
    matches = [m for m in matches if m.document_id in others]
    matches.sort(key=lambda m: (others[m.document_id]["created_at"], m.document_id))
    own = [m for m in matches if others[m.document_id]["owner_id"] == document.owner_id]
    for match in matches:
        other = others[match.document_id]
        first_own = others[own[0].document_id] if own else None
        if (
            first_own is not None
            and other["owner_id"] != document.owner_id
            and other["status"] != TAKEN_DOWN
            and (other["created_at"], other["pk"]) > (first_own["created_at"], first_own["pk"])
        ):
            continue  # uploaded after the member's own first copy: the member came first
        if other["status"] == TAKEN_DOWN:
            findings.append(
                _finding(
                    "copyright_duplicate",
                    "reject",
                    match,
                    other,
                    "Matches a work removed for copyright infringement.",
                )
            )
        elif other["owner_id"] == document.owner_id:
            findings.append(
                _finding(
                    "own_duplicate",
                    "info",
                    match,
                    other,
                    "You already uploaded this document.",
                )
            )
        else:
            findings.append(
                _finding(
                    "near_duplicate",
                    severity,
                    match,
                    other,
                    "Similar content uploaded earlier by another member.",
                )
            )
    return findings


def register() -> None:
    register_check(CODE, check, label=_("Near-duplicates"))
