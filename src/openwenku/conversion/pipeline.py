"""The conversion pipeline, one document at a time.

    claim → sniff → normalise to PDF → count pages → render pages and extract
    their text (flagging pages for OCR) → publish

OCR of the flagged pages runs later, as its own task (ocr_pipeline.py), queued
when the document is published. Each step works in the conversion's own
scratch directory; every change to the document goes through services.py. A
re-run starts from a clean slate for that document, so running a conversion
twice does no harm, and a heartbeat keeps the lease while this worker lives.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

from openwenku.documents.models import Document
from openwenku.documents.sniff import Sniffed, sniff_file

from . import office, pages, services
from .errors import ConversionError
from .ocr import needs_ocr
from .pages import PageMessage
from .placeholder import placeholder_page
from .text import normalise

logger = logging.getLogger(__name__)

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
        services.conversion_fail(document=document, worker_id=worker_id, error=exc)
    except Exception:
        logger.exception("conversion of document %s crashed", document.pk)
        services.conversion_fail(
            document=document, worker_id=worker_id, error=ConversionError("internal")
        )
    else:
        services.conversion_record_duration(document=document, seconds=time.monotonic() - started)
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
        try:
            while not self._stop_event.wait(self.interval):
                services.conversion_extend_lease(document=self.document, worker_id=self.worker_id)
        finally:
            connection.close()  # this thread's own connection

    def stop(self) -> None:
        self._stop_event.set()
        self.join(timeout=30)


def _convert(document: Document, scratch: Path, worker_id: str) -> None:
    original = _local_original(document, scratch)
    sniffed = _sniff(document, original)
    pdf = _normalise_to_pdf(original, sniffed, scratch / "office", document.original_name)
    services.conversion_reset_output(document=document)
    services.conversion_extend_lease(document=document, worker_id=worker_id)
    rendered = _render(document, pdf, scratch / "pages")
    services.conversion_publish(
        document=document,
        worker_id=worker_id,
        pdf=pdf,
        page_count=rendered.page_count,
        text_chars=rendered.text_chars,
    )


def _local_original(document: Document, scratch: Path) -> Path:
    target = scratch / "original"
    with document.original.open("rb") as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    return target


def _sniff(document: Document, original: Path) -> Sniffed:
    """The real format, from the content; encrypted files are refused here."""
    claimed_ext = Path(document.original_name).suffix.lower().lstrip(".")
    sniffed = sniff_file(original, claimed_ext)  # UnsupportedFile is a ConversionError
    if sniffed.encrypted and sniffed.format not in DEFAULT_PASSWORD_FORMATS:
        raise ConversionError("encrypted")
    services.conversion_record_format(document=document, format=sniffed.format)
    return sniffed


def _normalise_to_pdf(original: Path, sniffed: Sniffed, scratch: Path, name: str) -> Path:
    if sniffed.format == "pdf":
        return original
    try:
        return office.to_pdf(
            original,
            fmt=sniffed.format,
            scratch=scratch,
            encoding=sniffed.encoding,
            original_name=name,
        )
    except ConversionError:
        # Encrypted files of these formats mostly fail here; those "protected"
        # with Office's built-in default password open, so they are tried.
        if sniffed.encrypted:
            raise ConversionError("encrypted") from None
        raise


@dataclass
class _Rendered:
    page_count: int
    text_chars: int


def _render(document: Document, pdf: Path, outdir: Path) -> _Rendered:
    """Count the pages, then store each page's image and text as it is drawn."""
    width = settings.OPENWENKU["PAGE_WIDTH"]
    text_chars = 0

    def on_total(total: int) -> None:
        services.conversion_record_page_count(document=document, page_count=total)

    def on_page(msg: PageMessage) -> None:
        nonlocal text_chars
        number = msg["page"]
        if "failed" in msg:
            logger.warning("document %s page %s: %s", document.pk, number, msg["failed"])
            image = outdir / f"page-{number:05d}.webp"
            w, h = placeholder_page(image, number, width)
            text = ""
        else:
            image = outdir / msg["file"]
            w, h = msg["width"], msg["height"]
            text = normalise(msg.get("text", ""))
        page = services.conversion_record_page(
            document=document,
            number=number,
            image=image,
            width=w,
            height=h,
            text=text,
            needs_ocr="failed" not in msg and needs_ocr(text, msg.get("image_coverage", 0.0)),
        )
        text_chars += len(text)
        cover = outdir / "cover.webp"
        if number == 1 and cover.exists():
            services.conversion_record_cover(document=document, page=page, image=cover)

    total = pages.render_pdf(pdf, outdir, on_page=on_page, on_total=on_total)
    return _Rendered(page_count=total, text_chars=text_chars)
