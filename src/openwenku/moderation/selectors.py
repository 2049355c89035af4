"""Reads for the review and report queues and the uploader's history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from openwenku.accounts.models import Penalty
from openwenku.documents.models import Document

from .models import RejectionReason, Report

if TYPE_CHECKING:
    from openwenku.accounts.types import User

ACCEPTED = (Document.Status.READY, Document.Status.UNPUBLISHED)


def accepted_count(member: User, *, exclude: int | None = None) -> int:
    """Documents of the member that were published (still on the site or unpublished since)."""
    documents = Document.objects.filter(owner_id=member.pk, status__in=ACCEPTED)
    if exclude is not None:
        documents = documents.exclude(pk=exclude)
    return documents.count()


def upheld_reports(member: User) -> QuerySet[Report]:
    return Report.objects.filter(document__owner_id=member.pk, outcome__in=Report.UPHELD)


def upheld_report_count(member: User) -> int:
    return upheld_reports(member).count()


def held_documents(*, reason: str = "") -> QuerySet[Document]:
    """The review queue: held documents, oldest first; ``reason``: a reason code."""
    held = Document.objects.filter(status=Document.Status.HELD).select_related("owner")
    if reason:
        held = held.filter(failure_code=reason)
    return held.order_by("created_at", "id")


def held_reason_codes() -> list[str]:
    return sorted(
        set(
            Document.objects.filter(status=Document.Status.HELD)
            .exclude(failure_code="")
            .values_list("failure_code", flat=True)
        )
    )


@dataclass(frozen=True)
class UploaderHistory:
    uploads: int
    accepted: int
    rejected: int
    held: int
    upheld_reports: int
    penalties: list[Penalty]


def uploader_history(member: User) -> UploaderHistory:
    documents = Document.objects.filter(owner_id=member.pk)
    return UploaderHistory(
        uploads=documents.count(),
        accepted=documents.filter(status__in=ACCEPTED).count(),
        rejected=documents.filter(status=Document.Status.REJECTED).count(),
        held=documents.filter(status=Document.Status.HELD).count(),
        upheld_reports=upheld_report_count(member),
        penalties=list(Penalty.objects.filter(member_id=member.pk).order_by("-starts_at")[:20]),
    )


def rejection_reasons() -> QuerySet[RejectionReason]:
    return RejectionReason.objects.filter(active=True)


def report_queue(*, status: str = Report.Status.OPEN) -> QuerySet[Report]:
    """Reports to handle (``status`` "open") or handled ones, oldest open first."""
    reports = Report.objects.select_related("document", "document__owner", "reporter")
    if status:
        reports = reports.filter(status=status)
    if status == Report.Status.OPEN:
        return reports.order_by("created_at", "id")
    return reports.order_by("-handled_at", "-id")
