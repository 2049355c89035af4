"""Pipeline figures for operators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Avg, Count, Min, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwenku.documents.models import Document, DocumentPage

from .tasks import convert_document, ocr_document


def pipeline_overview() -> dict:
    now = timezone.now()
    tasks = DBTaskResult.objects.filter(
        task_path__in=[convert_document.module_path, ocr_document.module_path]
    )
    by_status = dict(
        Document.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    converted = Document.objects.filter(converted_at__isnull=False)
    hour = converted.filter(converted_at__gte=now - timedelta(hours=1))
    day = converted.filter(converted_at__gte=now - timedelta(days=1))
    failures = (
        Document.objects.filter(status=Document.Status.FAILED)
        .values("failure_reason")
        .annotate(n=Count("id"))
        .order_by("-n")[:20]
    )
    return {
        "documents": by_status,
        "queue": {
            "conversions_waiting": tasks.filter(
                status="READY", task_path=convert_document.module_path
            ).count(),
            "conversions_running": tasks.filter(
                status="RUNNING", task_path=convert_document.module_path
            ).count(),
            "ocr_waiting": tasks.filter(status="READY", task_path=ocr_document.module_path).count(),
            "pages_waiting_for_ocr": DocumentPage.objects.filter(needs_ocr=True).count(),
        },
        "per_hour": hour.count(),
        "per_day": day.count(),
        "pages_per_hour": sum(hour.values_list("page_count", flat=True)),
        "avg_seconds": day.aggregate(a=Avg("conversion_seconds"))["a"],
        "failures": list(failures),
        "recent_failures": list(
            Document.objects.filter(status=Document.Status.FAILED)
            .select_related("owner")
            .order_by("-updated_at")[:20]
        ),
        "stuck": Document.objects.filter(
            Q(status=Document.Status.CONVERTING, lease_expires_at__lt=now)
        ).count(),
    }


@dataclass(frozen=True)
class QueueStatus:
    """The conversion queue as a health check or a metrics scrape sees it."""

    depth: int  # conversions waiting for a worker
    oldest_age_seconds: float | None  # how long the oldest of them has waited
    running: int
    ocr_waiting: int  # documents waiting for OCR
    ocr_backlog_pages: int  # pages still without a text layer, waiting for OCR


def queue_status() -> QueueStatus:
    """Cheap figures (indexed counts and one MIN) for /healthz and /metrics."""
    tasks = DBTaskResult.objects.filter(task_path=convert_document.module_path)
    waiting = tasks.filter(status="READY")
    figures = waiting.aggregate(n=Count("id"), oldest=Min("enqueued_at"))
    oldest = figures["oldest"]
    return QueueStatus(
        depth=figures["n"],
        oldest_age_seconds=(timezone.now() - oldest).total_seconds() if oldest else None,
        running=tasks.filter(status="RUNNING").count(),
        ocr_waiting=DBTaskResult.objects.filter(
            task_path=ocr_document.module_path, status="READY"
        ).count(),
        ocr_backlog_pages=DocumentPage.objects.filter(needs_ocr=True).count(),
    )


def conversion_totals() -> tuple[int, dict[str, int]]:
    """Documents converted so far, and failed documents by failure code."""
    converted = Document.objects.filter(converted_at__isnull=False).count()
    failed = dict(
        Document.objects.filter(status=Document.Status.FAILED)
        .values_list("failure_code")
        .annotate(n=Count("id"))
        .values_list("failure_code", "n")
    )
    return converted, {code or "unknown": n for code, n in failed.items()}
