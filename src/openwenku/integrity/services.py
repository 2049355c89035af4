"""Running the content checks, storing their findings, acting on them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone, translation

from openwenku.accounts.models import User
from openwenku.documents.models import Document
from openwenku.documents.publishing import Reason, Verdict
from openwenku.documents.services import document_hold

from . import registry
from .messages import reason_message
from .models import AcceptedFinding, CheckRun, Hit
from .registry import SEVERITY_RANK, Finding

logger = logging.getLogger(__name__)

_ACTION = {"pass": "publish", "info": "publish", "hold": "hold", "reject": "reject"}


@dataclass
class CheckResult:
    """What :func:`run_checks` found: the action for the document and why."""

    action: str = "publish"  # "publish" | "hold" | "reject"
    reasons: list[Reason] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # every finding, accepted ones too
    held_by: list[Finding] = field(default_factory=list)  # the ones deciding the action

    @property
    def verdict(self) -> Verdict:
        return Verdict(self.action, list(self.reasons))  # type: ignore[arg-type]


def _key(kind: str, page: int | None, excerpt: str) -> tuple[str, int | None, str]:
    return (kind, page, excerpt[:500])


def run_checks(document: Document, *, codes: list[str] | None = None) -> CheckResult:
    """Run every registered check (or those in ``codes``) on ``document``.

    The stored results of the checks that ran are replaced in one transaction
    (one CheckRun per check per document). Findings a moderator accepted before
    (same kind, page and excerpt) are stored accepted and decide nothing.
    A check that crashes is logged and its previous result kept: our bug must
    not block a member's upload.
    """
    found: dict[str, list[Finding]] = {}
    for check in registry.checks():
        if codes is not None and check.code not in codes:
            continue
        try:
            found[check.code] = list(check.fn(document))
        except Exception:
            logger.exception("content check %s failed on document %s", check.code, document.pk)
    accepted = {
        _key(kind, page, excerpt)
        for kind, page, excerpt in AcceptedFinding.objects.filter(document=document).values_list(
            "kind", "page", "excerpt"
        )
    }
    result = CheckResult()
    with transaction.atomic():
        for code, findings in found.items():
            live = [f for f in findings if _key(f.kind, f.page, f.excerpt) not in accepted]
            outcome = registry.strictest([f.severity for f in live])
            run, _created = CheckRun.objects.update_or_create(
                document=document, check_code=code, defaults={"outcome": outcome}
            )
            run.hits.all().delete()
            Hit.objects.bulk_create(
                [
                    Hit(
                        run=run,
                        kind=f.kind[:32],
                        severity=f.severity,
                        page=f.page,
                        excerpt=f.excerpt[:500],
                        context=f.context[:500],
                        score=f.score,
                        duplicate_of_id=f.duplicate_of_id,
                        details=f.details,
                        accepted=_key(f.kind, f.page, f.excerpt) in accepted,
                    )
                    for f in findings
                ]
            )
            result.findings.extend(findings)
            result.held_by.extend(f for f in live if f.severity in ("hold", "reject"))
    return _decide(result)


def _decide(result: CheckResult) -> CheckResult:
    worst = registry.strictest([f.severity for f in result.held_by])
    result.action = _ACTION[worst]
    if result.action == "publish":
        return result
    deciding = [f for f in result.held_by if f.severity == worst]
    kinds = list(dict.fromkeys(f.kind for f in deciding))
    kinds += [k for k in dict.fromkeys(f.kind for f in result.held_by) if k not in kinds]
    result.reasons = [Reason(kind, str(reason_message(kind))) for kind in kinds]
    return result


def publish_gate(document: object) -> Verdict:
    """The publish gate conversion consults (registered in apps.ready)."""
    assert isinstance(document, Document)
    return run_checks(document).verdict


def integrity_recheck(*, document: Document, metadata_only: bool = False) -> CheckResult | None:
    """Re-run the checks after an edit (``metadata_only``) or a text change (OCR).

    A published document that now has a finding that holds or rejects is held
    for review (never for a finding a moderator already accepted). Documents
    not converted yet are left alone: the publish gate checks them.
    """
    if document.status not in (
        Document.Status.READY,
        Document.Status.HELD,
        Document.Status.UNPUBLISHED,
    ):
        return None
    codes = [c.code for c in registry.checks() if c.metadata] if metadata_only else None
    result = run_checks(document, codes=codes)
    if result.action != "publish" and document.status == Document.Status.READY:
        first = result.reasons[0]
        with translation.override("en"):
            english = "; ".join(str(reason_message(r.code)) for r in result.reasons)
        document_hold(document=document, code=first.code, reason=english)
    return result


def findings_accept(document: Document, by: User | None) -> int:
    """A moderator reviewed ``document``'s findings and let it through: none of
    them holds it again (also after re-runs). Returns how many were accepted."""
    now = timezone.now()
    with transaction.atomic():
        hits = list(Hit.objects.filter(run__document=document, accepted=False))
        known = {
            _key(k, p, e)
            for k, p, e in AcceptedFinding.objects.filter(document=document).values_list(
                "kind", "page", "excerpt"
            )
        }
        new = []
        for hit in hits:
            key = _key(hit.kind, hit.page, hit.excerpt)
            if key not in known:
                known.add(key)
                new.append(
                    AcceptedFinding(
                        document=document,
                        kind=hit.kind,
                        page=hit.page,
                        excerpt=hit.excerpt,
                        accepted_by=by,
                    )
                )
        AcceptedFinding.objects.bulk_create(new)
        Hit.objects.filter(pk__in=[h.pk for h in hits]).update(
            accepted=True, accepted_by=by, accepted_at=now
        )
        for run in CheckRun.objects.filter(document=document):
            run.outcome = registry.strictest(
                [s for s in run.hits.filter(accepted=False).values_list("severity", flat=True)]
            )
            run.save(update_fields=["outcome"])
    return len(hits)


__all__ = [
    "SEVERITY_RANK",
    "CheckResult",
    "findings_accept",
    "integrity_recheck",
    "publish_gate",
    "run_checks",
]
