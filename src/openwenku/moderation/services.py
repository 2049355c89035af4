"""Moderation business logic: readers' reports, review decisions, penalties.

Every operator action checks the operator's permission, is written to the audit
log in the same transaction, and tells the member concerned (notifications).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from openwenku.accounts import services as account_services
from openwenku.accounts.models import Penalty
from openwenku.audit.models import AuditEntry
from openwenku.audit.services import audit_record
from openwenku.core.errors import ApplicationError, Forbidden, TooManyRequests
from openwenku.core.ratelimit import hit
from openwenku.documents import services as document_services
from openwenku.documents.models import Document
from openwenku.integrity.services import findings_accept
from openwenku.notifications.services import notify

from . import kinds
from .models import HANDLE_REPORT, REVIEW_DOCUMENT, Report, ReviewDecision

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Action = AuditEntry.Action


class ModerationRefused(ApplicationError):
    code = "moderation_refused"
    status = 409


def _require(user: User | None, permission: str) -> User:
    if user is None or not user.has_perm(permission):
        raise Forbidden(_("Only an operator with the right permission may do this."))
    return user


# --- Reports (举报) -----------------------------------------------------------------


class ContactRequired(ApplicationError):
    code = "contact_required"
    default_message = _("Please leave a contact (e-mail or phone) so that we can reach you.")


def report_throttle(client: str) -> None:
    """Count one report from the client address; refuse past the hourly limit."""
    limit = int(settings.OPENWENKU.get("REPORTS_PER_IP_PER_HOUR", 10))
    if not limit or not client:
        return
    verdict = hit("report", client, limit=limit, window=3600)
    if not verdict.allowed:
        raise TooManyRequests(
            _("Too many reports from your address; try again later."),
            retry_after=verdict.retry_after,
        )


def report_create(
    *,
    document: Document,
    reporter: User | None,
    reason: str,
    detail: str = "",
    contact: str = "",
    client: str = "",
) -> Report:
    """File a report (anonymous: ``reporter`` None, with a contact); a second open
    report by the same member updates the first. ``client``: the address, for the limit."""
    contact = (contact or "").strip()
    if reporter is None and not contact:
        raise ContactRequired()
    report_throttle(client)
    if reporter is None:
        return Report.objects.create(
            document=document, reporter=None, reason=reason, detail=detail, contact=contact
        )
    try:
        with transaction.atomic():
            return Report.objects.create(
                document=document, reporter=reporter, reason=reason, detail=detail, contact=contact
            )
    except IntegrityError:
        report = Report.objects.get(document=document, reporter=reporter, status=Report.Status.OPEN)
        report.reason, report.detail, report.contact = reason, detail, contact
        report.save(update_fields=["reason", "detail", "contact"])
        return report


# A hook the copyright half fills (its takedown service): called with the report's
# document, the operator and the note. Until one is registered, "take down" is not offered.
TakedownHook = Callable[[Document, "User", str], object]
_takedown: list[TakedownHook] = []


def register_takedown(fn: TakedownHook) -> TakedownHook:
    """HOOK for the copyright branch: ``fn(document, by, reason)`` takes a document down."""
    if fn not in _takedown:
        _takedown.clear()
        _takedown.append(fn)
    return fn


def takedown_available() -> bool:
    return bool(_takedown)


def report_handle(
    *,
    report: Report,
    by: User,
    outcome: str,
    note: str = "",
    penalty_kind: str = "",
    penalty_days: int | None = None,
) -> Report:
    """An operator's outcome for a report: dismiss, unpublish, take down, penalise.

    Penalise imposes ``penalty_kind`` on the uploader for ``penalty_days`` (None:
    permanent) with the note as its reason. The reporter (a member) is told the
    outcome; the uploader is told when the report is upheld."""
    operator = _require(by, HANDLE_REPORT)
    if outcome not in Report.Outcome.values:
        raise ModerationRefused(_("Unknown outcome."), code="unknown_outcome", status=400)
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        locked = Report.objects.select_for_update().select_related("document").get(pk=report.pk)
        if locked.status != Report.Status.OPEN:
            raise ModerationRefused(_("This report was already handled."), code="already_handled")
        document = locked.document
        uploader = document.owner
        if outcome == Report.Outcome.UNPUBLISHED:
            document_services.document_unpublish(document=document)
        elif outcome == Report.Outcome.TAKEN_DOWN:
            if not _takedown:
                raise ModerationRefused(
                    _("Takedown is not available on this site yet."), code="no_takedown"
                )
            _takedown[0](document, operator, note or locked.get_reason_display())
        elif outcome == Report.Outcome.PENALISED:
            penalty_impose(
                member=uploader,
                kind=penalty_kind or Penalty.Kind.WARNING,
                reason=note or str(locked.get_reason_display()),
                days=penalty_days,
                by=operator,
            )
        locked.outcome = outcome
        locked.note = note
        locked.handled_by = operator
        locked.handled_at = timezone.now()
        locked.status = (
            Report.Status.REJECTED
            if outcome == Report.Outcome.DISMISSED
            else Report.Status.RESOLVED
        )
        locked.save(update_fields=["outcome", "note", "handled_by", "handled_at", "status"])
        upheld = outcome in Report.UPHELD
        audit_record(
            Action.REPORT_UPHELD if upheld else Action.REPORT_DISMISSED,
            actor=operator,
            document=document,
            reason=note,
            report=locked.pk,
            outcome=outcome,
            report_reason=locked.reason,
        )
        outcome_text = str(locked.get_outcome_display())
        if locked.reporter is not None:
            notify(
                locked.reporter,
                kinds.REPORT_OUTCOME,
                url=document.get_absolute_url() if document.status == "ready" else "",
                title=document.title,
                outcome=outcome_text,
                note=note,
            )
        if upheld:
            notify(
                uploader,
                kinds.REPORT_UPHELD,
                url="/my/documents/",
                title=document.title,
                outcome=outcome_text,
                note=note,
            )
    return locked


# --- Review of held documents ------------------------------------------------------


def review_approve(*, document: Document, by: User) -> bool:
    """Publish a held document (as conversion does: indexed, rewarded); its content
    findings are marked reviewed. False if it was no longer held."""
    operator = _require(by, REVIEW_DOCUMENT)
    with transaction.atomic():
        # Findings first: an unreviewed hold finding vetoes the upload reward.
        findings_accept(document, operator)
        if not document_services.document_approve_held(document=document):
            return False
        ReviewDecision.objects.create(
            document=document, decision=ReviewDecision.Decision.APPROVED, decided_by=operator
        )
        audit_record(Action.REVIEW_APPROVED, actor=operator, document=document)
        notify(
            document.owner,
            kinds.REVIEW_APPROVED,
            url=document.get_absolute_url(),
            title=document.title,
        )
    return True


def review_reject(*, document: Document, by: User, reason: str, note: str = "") -> bool:
    """Refuse a held document with a reason (from the list) and free text; the
    uploader reads both. False if it was no longer held."""
    operator = _require(by, REVIEW_DOCUMENT)
    text = "：".join(p for p in ((reason or "").strip(), (note or "").strip()) if p)
    if not text:
        raise ModerationRefused(
            _("Give a reason for the rejection."), code="reason_required", status=400
        )
    with transaction.atomic():
        if not document_services.document_reject_held(document=document, reason=text):
            return False
        ReviewDecision.objects.create(
            document=document,
            decision=ReviewDecision.Decision.REJECTED,
            reason=text,
            decided_by=operator,
        )
        audit_record(Action.REVIEW_REJECTED, actor=operator, document=document, reason=text)
        notify(
            document.owner,
            kinds.REVIEW_REJECTED,
            url="/my/documents/",
            title=document.title,
            reason=text,
        )
    return True


# --- Penalties ---------------------------------------------------------------------


def _end_text(penalty: Penalty) -> str:
    if penalty.ends_at is None:
        return _t("permanent")
    return timezone.localtime(penalty.ends_at).strftime("%Y-%m-%d %H:%M")


def penalty_impose(
    *,
    member: User,
    kind: str,
    reason: str,
    days: int | None = None,
    ends_at: dt.datetime | None = None,
    by: User | None,
) -> Penalty:
    """Impose a penalty for ``days`` (or until ``ends_at``; neither: permanent).

    ``by`` None is the site itself (a rule such as repeat infringement); otherwise
    the operator needs ``moderation.handle_report``."""
    if by is not None:
        _require(by, HANDLE_REPORT)
    reason = (reason or "").strip()
    if not reason:
        raise ModerationRefused(
            _("Give a reason for the penalty."), code="reason_required", status=400
        )
    if kind not in Penalty.Kind.values:
        raise ModerationRefused(_("Unknown penalty."), code="unknown_penalty", status=400)
    if days is not None:
        if days <= 0:
            raise ModerationRefused(
                _("A penalty lasts at least one day."), code="invalid_days", status=400
            )
        ends_at = timezone.now() + dt.timedelta(days=days)
    with transaction.atomic():
        penalty = account_services.penalty_create(
            member=member, kind=kind, reason=reason, ends_at=ends_at, imposed_by=by
        )
        audit_record(
            Action.PENALTY,
            actor=by,
            member=member,
            reason=reason,
            penalty=penalty.pk,
            kind=kind,
            ends_at=penalty.ends_at.isoformat() if penalty.ends_at else None,
        )
        notify(
            member,
            kinds.PENALTY_IMPOSED,
            url="/accounts/profile/",
            penalty=str(penalty.get_kind_display()),
            reason=reason,
            end=_end_text(penalty),
        )
    return penalty


def penalty_lift(*, penalty: Penalty, by: User) -> bool:
    """End a penalty early; False if it was lifted already."""
    operator = _require(by, HANDLE_REPORT)
    with transaction.atomic():
        locked = Penalty.objects.select_for_update().select_related("member").get(pk=penalty.pk)
        if not account_services.penalty_end(penalty=locked, by=operator):
            return False
        audit_record(
            Action.PENALTY_LIFTED,
            actor=operator,
            member=locked.member,
            reason=locked.reason,
            penalty=locked.pk,
            kind=locked.kind,
        )
        notify(
            locked.member,
            kinds.PENALTY_LIFTED,
            url="/accounts/profile/",
            penalty=str(locked.get_kind_display()),
            reason=locked.reason,
        )
    penalty.lifted_at, penalty.lifted_by = locked.lifted_at, locked.lifted_by
    return True
