"""The conversion pipeline: sniff → normalise to PDF → render pages + text → publish.

Each step works in the conversion's own scratch directory and writes results
only when it succeeds; re-running a conversion starts from a clean slate for
that document, so running it twice does no harm.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from openwenku.documents.models import Document, DocumentPage, page_image_path
from openwenku.documents.signals import document_published, send_after_commit

from . import office, pages, services
from .errors import ConversionError
from .ocr import needs_ocr
from .placeholder import placeholder_page
from .sniff import UnsupportedFile, sniff_file
from .text import normalise

logger = logging.getLogger(__name__)

PASSWORD_REASON = "文件有密码保护，无法转换。请去除密码后重新上传"  # noqa: S105
# Formats Office may encrypt with its built-in default password (VelvetSweatshop):
# LibreOffice opens those, so an encrypted file of these kinds is still tried.
DEFAULT_PASSWORD_FORMATS = frozenset({"docx", "xlsx", "pptx", "xls"})


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def convert(document_id: int, *, worker_id: str | None = None) -> str:
    """Convert one document if it still needs it; return its final status."""
    worker_id = worker_id or default_worker_id()
    document = services.conversion_claim(document_id=document_id, worker_id=worker_id)
    if document is None:
        current = Document.objects.filter(pk=document_id).values_list("status", flat=True).first()
        return current or "missing"
    scratch_root = settings.DATA_DIR / "scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"doc{document.pk}-", dir=scratch_root))
    started = time.monotonic()
    heartbeat = _LeaseHeartbeat(document, worker_id)
    heartbeat.start()
    try:
        _convert(document, scratch, worker_id)
    except ConversionError as exc:
        services.conversion_fail(document=document, worker_id=worker_id, reason=exc.reason)
    except Exception:
        logger.exception("conversion of document %s crashed", document.pk)
        services.conversion_fail(
            document=document,
            worker_id=worker_id,
            reason="转换时发生内部错误，管理员已收到记录，请稍后重试",
        )
    else:
        Document.objects.filter(pk=document.pk).update(
            conversion_seconds=round(time.monotonic() - started, 3)
        )
    finally:
        heartbeat.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    return Document.objects.values_list("status", flat=True).get(pk=document.pk)


class _LeaseHeartbeat(threading.Thread):
    """Keeps the lease fresh while this worker is alive, whatever step it is in.

    If the worker dies, the beats stop, the lease runs out and another worker
    takes the document over.
    """

    def __init__(self, document: Document, worker_id: str):
        super().__init__(daemon=True, name=f"lease-{document.pk}")
        self.document, self.worker_id = document, worker_id
        self.interval = max(1.0, settings.OPENWENKU["LEASE_SECONDS"] / 3)
        self._stop_event = threading.Event()

    def run(self) -> None:
        from django.db import connection

        try:
            while not self._stop_event.wait(self.interval):
                services.conversion_extend_lease(document=self.document, worker_id=self.worker_id)
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)


def _local_original(document: Document, scratch: Path) -> Path:
    target = scratch / "original"
    with document.original.open("rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def _convert(document: Document, scratch: Path, worker_id: str) -> None:
    original = _local_original(document, scratch)
    claimed_ext = Path(document.original_name).suffix.lower().lstrip(".")
    try:
        sniffed = sniff_file(original, claimed_ext)
    except UnsupportedFile as exc:
        raise ConversionError(exc.reason) from None
    if sniffed.encrypted and sniffed.format not in DEFAULT_PASSWORD_FORMATS:
        raise ConversionError(PASSWORD_REASON)
    if sniffed.format != document.format:
        Document.objects.filter(pk=document.pk).update(format=sniffed.format)

    if sniffed.format == "pdf":
        pdf = original
    else:
        try:
            pdf = office.to_pdf(
                original, fmt=sniffed.format, scratch=scratch / "office", encoding=sniffed.encoding
            )
        except ConversionError:
            # Encrypted files of these formats mostly fail here; those "protected"
            # with Office's built-in default password open, so they are tried.
            if sniffed.encrypted:
                raise ConversionError(PASSWORD_REASON) from None
            raise
    _clear_previous_output(document)
    services.conversion_extend_lease(document=document, worker_id=worker_id)
    _render_and_store(document, pdf, scratch / "pages", worker_id)


def _enqueue_ocr(document_id: int) -> None:
    if not settings.OPENWENKU["OCR_ENABLED"]:
        return
    if DocumentPage.objects.filter(document_id=document_id, needs_ocr=True).exists():
        from .tasks import ocr_document

        transaction.on_commit(lambda: ocr_document.enqueue(document_id))


def _clear_previous_output(document: Document) -> None:
    """A re-run (after a crash mid-way) starts from nothing for this document."""
    for page in DocumentPage.objects.filter(document=document):
        if page.image:
            default_storage.delete(page.image.name)
    DocumentPage.objects.filter(document=document).delete()
    for field in ("pdf", "cover"):
        f = getattr(document, field)
        if f:
            default_storage.delete(f.name)
    Document.objects.filter(pk=document.pk).update(pages_ready=0, page_count=0, pdf="", cover="")


def _save_file(name: str, path: Path) -> str:
    with open(path, "rb") as fh:
        return default_storage.save(name, File(fh, name=os.path.basename(name)))


def _render_and_store(document: Document, pdf: Path, outdir: Path, worker_id: str) -> None:
    width = settings.OPENWENKU["PAGE_WIDTH"]
    text_chars = 0

    def on_total(total: int) -> None:
        Document.objects.filter(pk=document.pk).update(page_count=total)

    def on_page(msg: dict) -> None:
        nonlocal text_chars
        number = msg["page"]
        if "failed" in msg:
            logger.warning("document %s page %s: %s", document.pk, number, msg["failed"])
            file = outdir / f"page-{number:05d}.webp"
            w, h = placeholder_page(file, number, width)
            text = ""
        else:
            file = outdir / msg["file"]
            w, h = msg["width"], msg["height"]
            text = normalise(msg.get("text", ""))
        page = DocumentPage(
            document=document,
            number=number,
            width=w,
            height=h,
            text=text,
            image_bytes=file.stat().st_size,
            text_source="pdf" if text else "none",
            needs_ocr="failed" not in msg and needs_ocr(text, msg.get("image_coverage", 0.0)),
        )
        page.image.name = _save_file(page_image_path(page, file.name), file)
        with transaction.atomic():
            page.save()
            # Pages arrive out of order from parallel renderers: count them.
            Document.objects.filter(pk=document.pk).update(pages_ready=F("pages_ready") + 1)
        file.unlink(missing_ok=True)
        text_chars += len(text)
        if number == 1 and (outdir / "cover.webp").exists():
            cover = _save_file(page_image_path(page, "cover.webp"), outdir / "cover.webp")
            Document.objects.filter(pk=document.pk).update(cover=cover)

    total = pages.render_pdf(pdf, outdir, on_page=on_page, on_total=on_total)
    pdf_name = _save_file(f"pdf/{document.storage_key.hex[:2]}/{uuid.uuid4().hex}.pdf", pdf)
    with transaction.atomic():
        updated = Document.objects.filter(pk=document.pk, lease_owner=worker_id).update(
            status=Document.Status.READY,
            page_count=total,
            pages_ready=total,
            text_chars=text_chars,
            pdf=pdf_name,
            converted_at=timezone.now(),
            lease_owner="",
            lease_expires_at=None,
        )
        if updated:
            send_after_commit(document_published, document.pk)
            _enqueue_ocr(document.pk)
    if not updated:
        # Our lease was lost to another worker meanwhile; its result stands.
        default_storage.delete(pdf_name)
