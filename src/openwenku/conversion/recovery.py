"""Keep every document moving: re-queue conversions that lost their task.

A task can be lost when a worker is killed mid-conversion (its task row stays
RUNNING) or when a queue row is removed. The document row is the truth: a
document waiting or converting with an expired lease and no live task gets a
new one. Claiming is atomic, so an extra task does no harm.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from openwenku.documents.models import Document

from .tasks import convert_document

logger = logging.getLogger(__name__)

TASK_PATH = convert_document.module_path


def _queued_document_ids() -> set[int]:
    ids: set[int] = set()
    rows = DBTaskResult.objects.filter(
        status__in=["READY", "RUNNING"], task_path=TASK_PATH
    ).values_list("args_kwargs", flat=True)
    for args_kwargs in rows:
        args = (args_kwargs or {}).get("args") or []
        if args:
            ids.add(int(args[0]))
    return ids


def requeue_stalled(*, grace_seconds: int = 120) -> list[int]:
    now = timezone.now()
    stalled = Document.objects.filter(
        Q(status=Document.Status.UPLOADED, created_at__lt=now - timedelta(seconds=grace_seconds))
        | Q(status=Document.Status.CONVERTING, lease_expires_at__lt=now)
    ).values_list("pk", flat=True)[:500]
    missing = [pk for pk in stalled if pk not in _queued_document_ids()]
    for pk in missing:
        convert_document.enqueue(pk)
    if missing:
        logger.warning("re-queued conversions for documents %s", missing)
    return missing
