"""Run OCR over a published document's pages that need it (see ocr.py)."""

from __future__ import annotations

import json
import logging
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Length

from openwenku.documents.models import Document, DocumentPage
from openwenku.documents.signals import document_text_changed, send_after_commit

from . import sandbox
from .ocr import merge
from .text import normalise

logger = logging.getLogger(__name__)


def ocr_document(document_id: int) -> int:
    """OCR the pages still flagged; return how many pages got text. Re-runnable."""
    document = Document.objects.filter(pk=document_id, status=Document.Status.READY).first()
    if document is None or not document.pdf:
        return 0
    numbers = list(
        DocumentPage.objects.filter(document=document, needs_ocr=True)
        .order_by("number")
        .values_list("number", flat=True)
    )
    if not numbers:
        return 0
    scratch = Path(tempfile.mkdtemp(prefix=f"ocr{document_id}-", dir=_scratch_root()))
    try:
        pdf = scratch / "document.pdf"
        with document.pdf.open("rb") as src, open(pdf, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        gained = 0
        for number, text in _run(pdf, numbers):
            gained += _store(document, number, text)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    with transaction.atomic():
        total = (
            DocumentPage.objects.filter(document=document).aggregate(n=Sum(Length("text")))["n"]
            or 0
        )
        Document.objects.filter(pk=document.pk).update(text_chars=total)
        if gained:
            send_after_commit(document_text_changed, document.pk)
    return gained


def _scratch_root() -> Path:
    root = settings.DATA_DIR / "scratch"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _store(document: Document, number: int, text: str | None) -> int:
    page = DocumentPage.objects.filter(document=document, number=number).first()
    if page is None:
        return 0
    if text:
        page.text = normalise(merge(page.text, text))
        page.text_source = DocumentPage.TextSource.OCR
    elif not page.text:
        page.text_source = DocumentPage.TextSource.NONE
    page.needs_ocr = False
    page.save(update_fields=["text", "text_source", "needs_ocr"])
    return 1 if text else 0


def _run(pdf: Path, numbers: list[int]):
    """Yield (page, text or None) for each page; a hung or crashing page is skipped."""
    conf = settings.OPENWENKU
    pending = list(numbers)
    while pending:
        proc = subprocess.Popen(
            [sys.executable, "-m", "openwenku.conversion.ocr", str(pdf), *map(str, pending)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=sandbox._limits(conf["OCR_MEMORY_MB"] * 1024 * 1024),
        )
        # Loading the models takes a few seconds before the first page.
        timeout, buf = conf["OCR_PAGE_TIMEOUT"] + 30, b""
        try:
            while pending:
                ready = select.select([proc.stdout.fileno()], [], [], timeout)[0]
                chunk = os.read(proc.stdout.fileno(), 1 << 16) if ready else b""
                if not chunk:
                    why = "timeout" if not ready else f"exit {proc.wait()}"
                    logger.warning("OCR of %s page %s failed: %s", pdf, pending[0], why)
                    yield pending.pop(0), None
                    break
                buf += chunk
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    msg = json.loads(line)
                    if msg["page"] in pending:
                        pending.remove(msg["page"])
                        yield msg["page"], msg.get("text") or None
                timeout = conf["OCR_PAGE_TIMEOUT"]
        finally:
            sandbox.kill_group(proc)
        time.sleep(0)
