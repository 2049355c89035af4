"""Moderation business logic: readers' reports."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from .models import Report

if TYPE_CHECKING:
    from openwenku.accounts.types import User
    from openwenku.documents.models import Document


def report_create(
    *, document: Document, reporter: User, reason: str, detail: str = "", contact: str = ""
) -> Report:
    """File a report; a second open report by the same member updates the first."""
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
