"""Operators' moderation API (mounted at /api/moderation/): held documents and
review decisions, reports and their outcomes, penalties. A token needs the
``moderate`` scope and its owner the permission (``moderation.review_document``,
``moderation.handle_report``); refusals follow the one error contract."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import paginate

from openwenku.accounts.models import Penalty, User
from openwenku.accounts.types import AuthenticatedRequest
from openwenku.core.errors import Forbidden, NotFound
from openwenku.documents.models import Document
from openwenku.documents.status import status_reasons
from openwenku.integrity.selectors import findings_for
from openwenku.moderation import selectors, services
from openwenku.moderation.models import HANDLE_REPORT, REVIEW_DOCUMENT, Report

from .auth import MODERATE_AUTH
from .pagination import ListPagination
from .schemas.errors import errors
from .schemas.moderation import (
    DecisionOut,
    HeldOut,
    OutcomeIn,
    PenaltyIn,
    PenaltyOut,
    RejectIn,
    ReportOut,
)

router = Router(tags=["moderation"], auth=MODERATE_AUTH)


def _need(request: AuthenticatedRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise Forbidden()


def _held(document_id: int) -> Document:
    document = Document.objects.select_related("owner").filter(pk=document_id).first()
    if document is None:
        raise NotFound()
    return document


@router.get("held", response={200: list[HeldOut], **errors(401, 403)})
@paginate(ListPagination, page_size=50)
def held(request: AuthenticatedRequest, reason: str = "") -> list[Document]:
    """Held documents, oldest first, with every reason and the content checks' findings."""
    _need(request, REVIEW_DOCUMENT)
    documents = list(selectors.held_documents(reason=reason)[:500])
    for d in documents:
        d.findings = findings_for(d)  # type: ignore[attr-defined]
    return documents


def _decision(document: Document) -> DecisionOut:
    document.refresh_from_db(fields=["status", "failure_code", "failure_reason"])
    return DecisionOut(id=document.pk, status=document.status, reasons=status_reasons(document))


@router.post("held/{int:document_id}/approve", response={200: DecisionOut, **errors(401, 403, 404)})
def approve(request: AuthenticatedRequest, document_id: int) -> DecisionOut:
    """Publish a held document (answers its new status; a document no longer held
    answers its current status unchanged)."""
    _need(request, REVIEW_DOCUMENT)
    document = _held(document_id)
    services.review_approve(document=document, by=request.user)
    return _decision(document)


@router.post(
    "held/{int:document_id}/reject", response={200: DecisionOut, **errors(400, 401, 403, 404)}
)
def reject(request: AuthenticatedRequest, document_id: int, payload: RejectIn) -> DecisionOut:
    """Reject a held document with a reason (the list's text, or any) and a note."""
    _need(request, REVIEW_DOCUMENT)
    document = _held(document_id)
    services.review_reject(
        document=document, by=request.user, reason=payload.reason, note=payload.note
    )
    return _decision(document)


@router.get("reports", response={200: list[ReportOut], **errors(401, 403)})
@paginate(ListPagination, page_size=50)
def reports(request: AuthenticatedRequest, status: str = "open") -> QuerySet[Report]:
    """Reports: ``status`` open (oldest first), resolved or rejected (latest first)."""
    _need(request, HANDLE_REPORT)
    return selectors.report_queue(status=status).select_related("handled_by")


@router.post(
    "reports/{int:report_id}/outcome",
    response={200: ReportOut, **errors(400, 401, 403, 404, 409)},
)
def report_outcome(request: AuthenticatedRequest, report_id: int, payload: OutcomeIn) -> Report:
    """dismissed, unpublished, penalised (with ``penalty_kind``, ``penalty_days``) or
    taken_down (once the site has a takedown service)."""
    _need(request, HANDLE_REPORT)
    report = get_object_or_404(Report, pk=report_id)
    return services.report_handle(
        report=report,
        by=request.user,
        outcome=payload.outcome,
        note=payload.note,
        penalty_kind=payload.penalty_kind,
        penalty_days=payload.penalty_days,
    )


@router.get("penalties", response={200: list[PenaltyOut], **errors(401, 403)})
@paginate(ListPagination, page_size=50)
def penalties(request: AuthenticatedRequest, member: str = "") -> QuerySet[Penalty]:
    """Penalties, latest first; ``member``: one member's (username)."""
    _need(request, HANDLE_REPORT)
    found = Penalty.objects.select_related("member").order_by("-starts_at", "-id")
    return found.filter(member__username=member) if member else found


@router.post("penalties", response={201: PenaltyOut, **errors(400, 401, 403, 404)})
def impose(request: AuthenticatedRequest, payload: PenaltyIn) -> Status[Penalty]:
    _need(request, HANDLE_REPORT)
    member = User.objects.filter(username=payload.member).first()
    if member is None:
        raise NotFound()
    penalty = services.penalty_impose(
        member=member,
        kind=payload.kind,
        reason=payload.reason,
        days=payload.days,
        by=request.user,
    )
    return Status(201, penalty)


@router.post("penalties/{int:penalty_id}/lift", response={200: PenaltyOut, **errors(401, 403, 404)})
def lift(request: AuthenticatedRequest, penalty_id: int) -> Penalty:
    _need(request, HANDLE_REPORT)
    penalty = get_object_or_404(Penalty.objects.select_related("member"), pk=penalty_id)
    services.penalty_lift(penalty=penalty, by=request.user)
    return penalty
