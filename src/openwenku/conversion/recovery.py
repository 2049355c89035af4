"""Keep every document moving after workers die.

The document row is the truth; task rows are only a way to get a worker to
look at it. A worker killed with ``kill -9`` leaves its task row RUNNING for
ever and its document CONVERTING with a lease nobody renews. The sweep, run
by every worker every minute:

1. reaps RUNNING task rows whose work is known to be lost (the document's
   lease ran out, or the document is no longer converting) — marked FAILED
   with a ``WorkerLost`` reason, so the queue tells the truth;
2. re-queues a conversion for every document waiting or abandoned with no
   live task, and OCR for published documents whose pages still wait for it.

Claiming is atomic, so an extra task is harmless.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwenku.documents.models import Document, DocumentPage

from .tasks import convert_document, ocr_document

logger = logging.getLogger(__name__)

CONVERT_PATH = convert_document.module_path
OCR_PATH = ocr_document.module_path
OCR_RUNNING_LIMIT = timedelta(hours=2)


class WorkerLost(Exception):
    """The worker running a task stopped without finishing it."""


def _document_id(args_kwargs) -> int | None:
    args = (args_kwargs or {}).get("args") or []
    try:
        return int(args[0])
    except (IndexError, TypeError, ValueError):
        return None


def reap_lost_tasks() -> list[str]:
    now = timezone.now()
    lease = timedelta(seconds=settings.OPENWENKU["LEASE_SECONDS"])
    lost: list[str] = []
    running = DBTaskResult.objects.filter(
        status="RUNNING", task_path__in=[CONVERT_PATH, OCR_PATH], started_at__lt=now - lease
    ).values_list("pk", "task_path", "args_kwargs", "started_at")
    for pk, path, args_kwargs, started_at in running:
        document_id = _document_id(args_kwargs)
        doc = Document.objects.filter(pk=document_id).first() if document_id else None
        if path == CONVERT_PATH:
            still_held = (
                doc is not None
                and doc.status == Document.Status.CONVERTING
                and doc.lease_expires_at is not None
                and doc.lease_expires_at >= now
            )
            if still_held:
                continue
        elif started_at is None or started_at >= now - OCR_RUNNING_LIMIT:
            continue
        marked = DBTaskResult.objects.filter(pk=pk, status="RUNNING").update(
            status="FAILED",
            finished_at=now,
            exception_class_path=f"{__name__}.WorkerLost",
            traceback="WorkerLost: the worker running this task stopped (killed or crashed) "
            "before finishing; the document was handed to another worker.",
        )
        if marked:
            lost.append(str(pk))
    if lost:
        logger.warning("reaped %d task(s) left RUNNING by dead workers", len(lost))
    return lost


def _queued(path: str) -> set[int]:
    rows = DBTaskResult.objects.filter(status__in=["READY", "RUNNING"], task_path=path).values_list(
        "args_kwargs", flat=True
    )
    return {i for i in map(_document_id, rows) if i is not None}


def requeue_stalled(*, grace_seconds: int = 120) -> list[int]:
    now = timezone.now()
    stalled = Document.objects.filter(
        Q(status=Document.Status.UPLOADED, created_at__lt=now - timedelta(seconds=grace_seconds))
        | Q(status=Document.Status.CONVERTING, lease_expires_at__lt=now)
    ).values_list("pk", flat=True)[:500]
    queued = _queued(CONVERT_PATH)
    missing = [pk for pk in stalled if pk not in queued]
    for pk in missing:
        convert_document.enqueue(pk)
    if missing:
        logger.warning("re-queued conversions for documents %s", missing)
    if settings.OPENWENKU["OCR_ENABLED"]:
        waiting = set(
            DocumentPage.objects.filter(
                needs_ocr=True,
                document__status=Document.Status.READY,
                document__converted_at__lt=now - timedelta(seconds=grace_seconds),
            ).values_list("document_id", flat=True)[:500]
        )
        for pk in waiting - _queued(OCR_PATH):
            ocr_document.enqueue(pk)
    return missing


def sweep() -> None:
    reap_lost_tasks()
    requeue_stalled()
