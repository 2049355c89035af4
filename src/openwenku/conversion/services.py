"""State changes of a document's conversion: claim, progress, finish, fail.

The document row is the truth. A conversion first claims the row with a lease
(one atomic UPDATE), so two workers never convert the same document and a
worker that died leaves a row another worker can take once the lease expires.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from openwenku.documents.models import Document

logger = logging.getLogger(__name__)


# A conversion interrupted this many times (its worker killed, hung past its
# lease, or taken down with its LibreOffice) is not tried again.
MAX_ATTEMPTS = 2
INTERRUPTED_REASON = "转换两次中断（转换程序崩溃或超时），文件可能已损坏或含有恶意内容"


def conversion_claim(*, document_id: int, worker_id: str) -> Document | None:
    """Take the lease on a document that needs converting, or return None."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.OPENWENKU["LEASE_SECONDS"])
    abandoned = Q(status=Document.Status.CONVERTING, lease_expires_at__lt=now)
    # A file that took down its conversion twice already is failed, not retried.
    Document.objects.filter(abandoned, pk=document_id, attempts__gte=MAX_ATTEMPTS).update(
        status=Document.Status.FAILED,
        failure_reason=INTERRUPTED_REASON,
        lease_owner="",
        lease_expires_at=None,
    )
    claimable = Q(status=Document.Status.UPLOADED) | abandoned
    updated = Document.objects.filter(claimable, pk=document_id).update(
        status=Document.Status.CONVERTING,
        lease_owner=worker_id[:64],
        lease_expires_at=lease,
        attempts=F("attempts") + 1,
        failure_reason="",
    )
    if not updated:
        return None
    return Document.objects.get(pk=document_id)


def conversion_extend_lease(*, document: Document, worker_id: str) -> None:
    lease = timezone.now() + timedelta(seconds=settings.OPENWENKU["LEASE_SECONDS"])
    Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(lease_expires_at=lease)


def conversion_fail(*, document: Document, worker_id: str, reason: str) -> None:
    with transaction.atomic():
        Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(
            status=Document.Status.FAILED,
            failure_reason=reason[:1000],
            lease_owner="",
            lease_expires_at=None,
        )
    logger.info("document %s failed: %s", document.pk, reason)


def conversion_retry(*, document_ids: list[int]) -> int:
    """Put failed documents back in the queue (an operator's retry)."""
    from .tasks import convert_document

    with transaction.atomic():
        ids = list(
            Document.objects.filter(pk__in=document_ids, status=Document.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        Document.objects.filter(pk__in=ids).update(
            status=Document.Status.UPLOADED,
            failure_reason="",
            attempts=0,
            lease_owner="",
            lease_expires_at=None,
        )
        for pk in ids:
            transaction.on_commit(lambda pk=pk: convert_document.enqueue(pk))
    return len(ids)
