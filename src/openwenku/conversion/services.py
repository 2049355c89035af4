"""Every change to a document's conversion state: claim, progress, publish, fail, OCR.

The document row is the truth. A conversion first claims the row with a lease
(one atomic UPDATE), so two workers never convert the same document and a
worker that died leaves a row another worker can take once the lease expires.
Progress (page count, pages, cover) is written as it happens so the uploader
watches pages appear; publishing and failing are conditional on still holding
the lease, so a worker that lost it never overwrites its successor's result.
Nothing else in the app writes to Document or DocumentPage.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Length
from django.utils import timezone

from openwenku.documents import publishing
from openwenku.documents.models import Document, DocumentPage, page_image_path
from openwenku.documents.signals import (
    document_held,
    document_published,
    document_text_changed,
    send_after_commit,
)

from .errors import ConversionError
from .ocr import merge
from .signals import conversion_requested
from .text import normalise

logger = logging.getLogger(__name__)


# A conversion interrupted this many times (its worker killed, hung past its
# lease, or taken down with its LibreOffice) is not tried again.
MAX_ATTEMPTS = 2


def _lease_until() -> datetime:
    return timezone.now() + timedelta(seconds=settings.OPENWENKU["LEASE_SECONDS"])


def _save_file(name: str, path: Path) -> str:
    with open(path, "rb") as fh:
        return default_storage.save(name, File(fh, name=os.path.basename(name)))


# -- the lease -------------------------------------------------------------------


def conversion_claim(*, document_id: int, worker_id: str) -> Document | None:
    """Take the lease on a document that needs converting, or return None."""
    now = timezone.now()
    abandoned = Q(status=Document.Status.CONVERTING, lease_expires_at__lt=now)
    # A file that took down its conversion twice already is failed, not retried.
    interrupted = ConversionError("interrupted")
    Document.objects.filter(abandoned, pk=document_id, attempts__gte=MAX_ATTEMPTS).update(
        status=Document.Status.FAILED,
        failure_code=interrupted.code,
        failure_reason=interrupted.diagnostic,
        lease_owner="",
        lease_expires_at=None,
    )
    claimable = Q(status=Document.Status.UPLOADED) | abandoned
    updated = Document.objects.filter(claimable, pk=document_id).update(
        status=Document.Status.CONVERTING,
        lease_owner=worker_id[:64],
        lease_expires_at=_lease_until(),
        attempts=F("attempts") + 1,
        failure_code="",
        failure_reason="",
    )
    if not updated:
        return None
    return Document.objects.get(pk=document_id)


def conversion_extend_lease(*, document: Document, worker_id: str) -> None:
    Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(
        lease_expires_at=_lease_until()
    )


# -- progress --------------------------------------------------------------------


def conversion_record_format(*, document: Document, format: str) -> None:
    """The content turned out to be another format than the upload was filed as."""
    if format != document.format:
        Document.objects.filter(pk=document.pk).update(format=format)
        document.format = format


def conversion_reset_output(*, document: Document) -> None:
    """A re-run (after a crash mid-way) starts from nothing for this document."""
    for page in DocumentPage.objects.filter(document=document):
        if page.image.name:
            default_storage.delete(page.image.name)
    DocumentPage.objects.filter(document=document).delete()
    for field in ("pdf", "cover"):
        f = getattr(document, field)
        if f:
            default_storage.delete(f.name)
    Document.objects.filter(pk=document.pk).update(pages_ready=0, page_count=0, pdf="", cover="")


def conversion_record_page_count(*, document: Document, page_count: int) -> None:
    Document.objects.filter(pk=document.pk).update(page_count=page_count)


def conversion_record_page(
    *,
    document: Document,
    number: int,
    image: Path,
    width: int,
    height: int,
    text: str,
    needs_ocr: bool,
) -> DocumentPage:
    """Store one rendered page (its image file is moved into storage)."""
    page = DocumentPage(
        document=document,
        number=number,
        width=width,
        height=height,
        text=text,
        image_bytes=image.stat().st_size,
        text_source=DocumentPage.TextSource.PDF if text else DocumentPage.TextSource.NONE,
        needs_ocr=needs_ocr,
    )
    page.image.name = _save_file(page_image_path(page, image.name), image)
    with transaction.atomic():
        page.save()
        # Pages arrive out of order from parallel renderers: count them.
        Document.objects.filter(pk=document.pk).update(pages_ready=F("pages_ready") + 1)
    image.unlink(missing_ok=True)
    return page


def conversion_record_cover(*, document: Document, page: DocumentPage, image: Path) -> None:
    cover = _save_file(page_image_path(page, image.name), image)
    Document.objects.filter(pk=document.pk).update(cover=cover)


def conversion_record_duration(*, document: Document, seconds: float) -> None:
    Document.objects.filter(pk=document.pk).update(conversion_seconds=round(seconds, 3))


# -- the outcome -----------------------------------------------------------------


def conversion_publish(
    *, document: Document, worker_id: str, pdf: Path, page_count: int, text_chars: int
) -> bool:
    """Make the converted document visible; False if another worker took it over.

    Sends ``document_published`` after commit (search indexes it, the market
    rewards the uploader, OCR is queued for pages that need it).
    """
    # The content checks run here, under the lease and before any status change:
    # a crash inside them leaves the row CONVERTING for recovery to re-claim.
    document.page_count = page_count
    document.text_chars = text_chars
    verdict = publishing.decide(document)
    status = {
        "publish": Document.Status.READY,
        "hold": Document.Status.HELD,
        "reject": Document.Status.REJECTED,
    }[verdict.action]
    first = verdict.reasons[0] if verdict.reasons else None
    pdf_name = _save_file(f"pdf/{document.storage_key.hex[:2]}/{uuid.uuid4().hex}.pdf", pdf)
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(
            status=status,
            failure_code=first.code[:32] if first else "",
            failure_reason="; ".join(r.message for r in verdict.reasons)[:1000],
            page_count=page_count,
            pages_ready=page_count,
            text_chars=text_chars,
            pdf=pdf_name,
            converted_at=timezone.now(),
            lease_owner="",
            lease_expires_at=None,
        )
        if updated and status == Document.Status.READY:
            send_after_commit(document_published, document.pk)
        elif updated and status == Document.Status.HELD:
            send_after_commit(document_held, document.pk)
    if not updated:
        # Our lease was lost to another worker meanwhile; its result stands.
        default_storage.delete(pdf_name)
    return bool(updated)


def conversion_fail(*, document: Document, worker_id: str, error: ConversionError) -> None:
    """Fail the document with ``error``'s code (shown translated) and English text."""
    reason = error.diagnostic
    Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(
        status=Document.Status.FAILED,
        failure_code=error.code,
        failure_reason=reason[:1000],
        lease_owner="",
        lease_expires_at=None,
    )
    logger.info("document %s failed: %s", document.pk, reason)


def conversion_retry(*, document_ids: list[int]) -> int:
    """Put failed documents back in the queue (an operator's retry)."""
    with transaction.atomic():
        ids = list(
            Document.objects.filter(pk__in=document_ids, status=Document.Status.FAILED).values_list(
                "pk", flat=True
            )
        )
        Document.objects.filter(pk__in=ids).update(
            status=Document.Status.UPLOADED,
            failure_code="",
            failure_reason="",
            attempts=0,
            lease_owner="",
            lease_expires_at=None,
        )
        for pk in ids:
            send_after_commit(conversion_requested, pk)
    return len(ids)


# -- OCR, after publication ------------------------------------------------------


def conversion_record_ocr(*, document: Document, number: int, text: str | None) -> bool:
    """Merge OCR text into page ``number`` (None: nothing found); True if it gained text."""
    page = DocumentPage.objects.filter(document=document, number=number).first()
    if page is None:
        return False
    if text:
        page.text = normalise(merge(page.text, text))
        page.text_source = DocumentPage.TextSource.OCR
    elif not page.text:
        page.text_source = DocumentPage.TextSource.NONE
    page.needs_ocr = False
    page.save(update_fields=["text", "text_source", "needs_ocr"])
    return bool(text)


def conversion_finish_ocr(*, document: Document, pages_gained: int) -> None:
    """Recount the document's text; announce it if OCR added any."""
    with transaction.atomic():
        total = (
            DocumentPage.objects.filter(document=document).aggregate(n=Sum(Length("text")))["n"]
            or 0
        )
        Document.objects.filter(pk=document.pk).update(text_chars=total)
        if pages_gained:
            send_after_commit(document_text_changed, document.pk)
