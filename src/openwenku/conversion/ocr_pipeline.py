"""Run OCR over a published document's pages that need it (see ocr.py).

The OCR engine runs in a child process (child.py) with its own memory limit,
in a scratch directory holding a copy of the PDF. A page that hangs or crashes
the engine is skipped (its text stays as it was) and a new child resumes after
it, so one bad page never blocks the rest. Re-runnable: only pages still
flagged ``needs_ocr`` are read.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

from openwenku.documents.models import Document, DocumentPage

from . import sandbox, services
from .child import Child, ChildExited, ChildTimeout, python_env, python_module, python_ro_paths

logger = logging.getLogger(__name__)

# Loading the models takes a few seconds before the first page.
MODEL_LOAD_SECONDS = 30


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
        for number, text in _recognise(pdf, numbers, scratch):
            gained += services.conversion_record_ocr(document=document, number=number, text=text)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    services.conversion_finish_ocr(document=document, pages_gained=gained)
    return gained


def _scratch_root() -> Path:
    root = settings.DATA_DIR / "scratch"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _recognise(pdf: Path, numbers: list[int], workdir: Path) -> Iterator[tuple[int, str | None]]:
    """Yield (page, text or None) for each page; a hung or crashing page is skipped."""
    conf = settings.OPENWENKU
    pending = list(numbers)
    while pending:
        with Child(
            python_module("openwenku.conversion.ocr", str(pdf), *map(str, pending)),
            workdir=workdir,
            memory_bytes=conf["OCR_MEMORY_MB"] * 1024 * 1024,
            env=python_env(),
            isolated=sandbox.bubblewrap_available(conf["SANDBOX"]),
            ro_paths=python_ro_paths(pdf),
        ) as child:
            timeout = conf["OCR_PAGE_TIMEOUT"] + MODEL_LOAD_SECONDS
            while pending:
                try:
                    msg = child.read(timeout)
                except (ChildTimeout, ChildExited) as exc:
                    logger.warning("OCR of %s page %s failed: %s", pdf, pending[0], exc)
                    yield pending.pop(0), None
                    break
                if msg["page"] in pending:
                    pending.remove(msg["page"])
                    yield msg["page"], msg.get("text") or None
                timeout = conf["OCR_PAGE_TIMEOUT"]
