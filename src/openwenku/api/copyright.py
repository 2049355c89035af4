"""Operators' copyright actions from scripts: take down, restore or confirm,
list notices and decide them. A bearer token with the ``moderate`` scope of an
operator holding the permission (or the site's session); refusals propagate to
the one mapping in ``api.urls``."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from openwenku.accounts.types import AuthenticatedRequest
from openwenku.core.errors import Forbidden
from openwenku.documents.models import Document
from openwenku.moderation import copyright as service
from openwenku.moderation.models import CopyrightNotice, Takedown
from openwenku.moderation.permissions import HANDLE_NOTICE

from .auth import MODERATE_AUTH
from .schemas.errors import errors

router = Router(auth=MODERATE_AUTH, tags=["moderation"])


class TakeDownIn(Schema):
    cause: Literal["copyright", "illegal", "privacy"] = "copyright"
    reason: str = ""


class DecisionIn(Schema):
    reason: str = ""


class AcceptIn(Schema):
    # The documents to take down; all the notice names when omitted.
    documents: list[int] | None = None


class TakedownOut(Schema):
    id: int
    document_id: int
    cause: str
    status: str
    notice: str | None
    created_at: datetime

    @staticmethod
    def resolve_notice(obj: Takedown) -> str | None:
        return obj.notice.number if obj.notice_id and obj.notice else None


class NoticeOut(Schema):
    id: int
    number: str
    name: str
    email: str
    work: str
    status: str
    documents: list[int]
    created_at: datetime
    decision_reason: str

    @staticmethod
    def resolve_documents(obj: CopyrightNotice) -> list[int]:
        return sorted(d.pk for d in obj.documents.all())


@router.post(
    "documents/{int:document_id}/take-down",
    response={200: TakedownOut, **errors(401, 403, 404, 409)},
)
def take_down(request: AuthenticatedRequest, document_id: int, payload: TakeDownIn) -> Takedown:
    """Take a document down at once (``moderation.take_down``): 410 everywhere."""
    document = get_object_or_404(Document.objects.select_related("owner"), pk=document_id)
    return service.take_down(
        document=document, cause=payload.cause, by=request.user, reason=payload.reason
    )


@router.post(
    "takedowns/{int:takedown_id}/{decision}",
    response={200: TakedownOut, **errors(401, 403, 404, 409)},
)
def decide_takedown(
    request: AuthenticatedRequest,
    takedown_id: int,
    decision: Literal["restore", "confirm"],
    payload: DecisionIn,
) -> Takedown:
    """Restore the document (back as it was) or confirm its takedown."""
    takedown = get_object_or_404(Takedown, pk=takedown_id)
    decide = service.takedown_restore if decision == "restore" else service.takedown_confirm
    return decide(takedown=takedown, by=request.user, reason=payload.reason)


@router.get("notices", response={200: list[NoticeOut], **errors(401, 403)})
def list_notices(
    request: AuthenticatedRequest, status: Literal["open", "accepted", "rejected"] = "open"
) -> list[CopyrightNotice]:
    """Copyright notices, oldest first (``moderation.handle_notice``); at most 200."""
    if not request.user.has_perm(HANDLE_NOTICE):
        raise Forbidden
    qs = CopyrightNotice.objects.filter(status=status).prefetch_related("documents")
    return list(qs.order_by("created_at", "id")[:200])


@router.post(
    "notices/{int:notice_id}/accept",
    response={200: list[TakedownOut], **errors(401, 403, 404, 409)},
)
def accept_notice(
    request: AuthenticatedRequest, notice_id: int, payload: AcceptIn
) -> list[Takedown]:
    notice = get_object_or_404(CopyrightNotice, pk=notice_id)
    return service.notice_accept(notice=notice, by=request.user, document_ids=payload.documents)


@router.post(
    "notices/{int:notice_id}/reject",
    response={200: NoticeOut, **errors(400, 401, 403, 404, 409)},
)
def reject_notice(
    request: AuthenticatedRequest, notice_id: int, payload: DecisionIn
) -> CopyrightNotice:
    notice = get_object_or_404(CopyrightNotice, pk=notice_id)
    return service.notice_reject(notice=notice, by=request.user, reason=payload.reason)
