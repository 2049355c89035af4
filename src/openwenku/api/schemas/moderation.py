"""Shapes of the operators' moderation API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from openwenku.accounts.models import Penalty
from openwenku.documents.models import Document
from openwenku.documents.status import status_reasons
from openwenku.moderation.models import Report


class FindingOut(Schema):
    kind: str
    severity: str
    page: int | None
    excerpt: str
    context: str
    score: float | None
    duplicate_of: int | None = Field(None, alias="duplicate_of_id")
    accepted: bool


class HeldOut(Schema):
    id: int
    title: str
    uploader: str
    status: str
    reason_code: str
    reasons: list[str]
    page_count: int
    created_at: datetime
    findings: list[FindingOut] = []

    @staticmethod
    def resolve_uploader(obj: Document) -> str:
        return obj.owner.username

    @staticmethod
    def resolve_reason_code(obj: Document) -> str:
        return obj.failure_code

    @staticmethod
    def resolve_reasons(obj: Document) -> list[str]:
        return status_reasons(obj)


class RejectIn(Schema):
    reason: str = ""
    note: str = ""


class DecisionOut(Schema):
    id: int
    status: str
    reasons: list[str]


class ReportOut(Schema):
    id: int
    document_id: int
    document_title: str
    reason: str
    detail: str
    contact: str
    reporter: str | None
    status: str
    outcome: str
    note: str
    handled_by: str | None
    handled_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_document_title(obj: Report) -> str:
        return obj.document.title

    @staticmethod
    def resolve_reporter(obj: Report) -> str | None:
        return obj.reporter.username if obj.reporter else None

    @staticmethod
    def resolve_handled_by(obj: Report) -> str | None:
        return obj.handled_by.username if obj.handled_by else None


class OutcomeIn(Schema):
    outcome: str
    note: str = ""
    # With "penalised": the penalty on the uploader (days None: permanent).
    penalty_kind: str = ""
    penalty_days: int | None = Field(default=None, ge=1, le=3650)


class PenaltyIn(Schema):
    member: str  # username
    kind: str
    reason: str
    days: int | None = Field(default=None, ge=1, le=3650)


class PenaltyOut(Schema):
    id: int
    member: str
    kind: str
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None
    in_force: bool

    @staticmethod
    def resolve_member(obj: Penalty) -> str:
        return obj.member.username

    @staticmethod
    def resolve_in_force(obj: Penalty) -> bool:
        return obj.is_in_force()
