"""Writing the near-duplicate index: fingerprint a document, forget it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.core.files.storage import default_storage
from django.db import transaction

from openwenku.documents.models import Document, DocumentPage

from . import signature
from .models import VERSION, BandKey, Fingerprint

logger = logging.getLogger(__name__)


@dataclass
class Computed:
    """A fingerprint before it is stored (find_similar also uses it unstored)."""

    method: str
    size: int
    sample: bytes
    keys: list[int]


def document_text(document_id: int) -> str:
    texts = DocumentPage.objects.filter(document_id=document_id).order_by("number")
    return "\n".join(texts.values_list("text", flat=True))


def _page_hashes(document: Document) -> list[int]:
    from PIL import Image

    hashes: list[int] = []
    pages = DocumentPage.objects.filter(document=document).order_by("number")
    for number, name in pages.values_list("number", "image")[: signature.IMAGE_MAX_PAGES]:
        if not name:
            continue
        try:
            with default_storage.open(name, "rb") as handle, Image.open(handle) as image:
                image.draft("L", (256, 256))
                value = signature.page_hash(image.convert("L"))
        except Exception:
            logger.warning("similarity: cannot read page %s of document %s", number, document.pk)
            continue
        if value is not None:
            hashes.append(value)
    return hashes


def compute(document: Document) -> Computed:
    """The fingerprint of ``document``'s current pages."""
    text = signature.text_signature(document_text(document.pk))
    if text.shingles >= signature.MIN_TEXT_SHINGLES:
        return Computed(
            method=Fingerprint.Method.TEXT,
            size=text.shingles,
            sample=text.sample.astype("<u4").tobytes(),
            keys=text.keys,
        )
    pages = _page_hashes(document)
    if pages:
        return Computed(
            method=Fingerprint.Method.IMAGE,
            size=len(pages),
            sample=np.array(pages, dtype="<u8").tobytes(),
            keys=signature.image_keys(pages),
        )
    return Computed(method=Fingerprint.Method.NONE, size=0, sample=b"", keys=[])


def _remove_keys(document_id: int, keys: bytes) -> None:
    old = np.frombuffer(keys, dtype="<i8").tolist()
    for start in range(0, len(old), 500):
        BandKey.objects.filter(document_id=document_id, key__in=old[start : start + 500]).delete()


def fingerprint(document: Document) -> None:
    """Compute ``document``'s fingerprint and replace the stored one (idempotent)."""
    computed = compute(document)
    with transaction.atomic():
        previous = Fingerprint.objects.select_for_update().filter(document=document).first()
        if previous is not None:
            _remove_keys(document.pk, bytes(previous.keys))
        Fingerprint.objects.update_or_create(
            document=document,
            defaults={
                "method": computed.method,
                "version": VERSION,
                "size": computed.size,
                "sample": computed.sample,
                "keys": np.array(computed.keys, dtype="<i8").tobytes(),
            },
        )
        BandKey.objects.bulk_create(
            [BandKey(key=key, document_id=document.pk) for key in computed.keys],
            batch_size=1000,
            ignore_conflicts=True,
        )


def forget(document: Document) -> None:
    """Remove ``document`` from the index (nothing happens if it is not there)."""
    with transaction.atomic():
        previous = Fingerprint.objects.filter(document_id=document.pk).first()
        if previous is None:
            return
        _remove_keys(document.pk, bytes(previous.keys))
        previous.delete()


# Documents with pages to compare (not waiting for or failing conversion).
_SKIPPED = (Document.Status.UPLOADED, Document.Status.CONVERTING, Document.Status.FAILED)


def rebuild(
    *,
    only_missing: bool = False,
    document_ids: list[int] | None = None,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Fingerprint every converted document (``openwenku similarity rebuild``).

    ``only_missing``: only those without a fingerprint of the current version.
    Returns counts: fingerprinted, failed.
    """
    todo = Document.objects.exclude(status__in=_SKIPPED)
    if document_ids is not None:
        todo = Document.objects.filter(pk__in=document_ids)
    if only_missing:
        todo = todo.exclude(fingerprint__version=VERSION)
    stats = {"fingerprinted": 0, "failed": 0}
    for pk in list(todo.order_by("pk").values_list("pk", flat=True)):
        document = Document.objects.filter(pk=pk).first()
        if document is not None:
            try:
                fingerprint(document)
                stats["fingerprinted"] += 1
            except Exception:
                logger.exception("similarity: cannot fingerprint document %s", pk)
                stats["failed"] += 1
        if progress is not None:
            progress(1)
    return stats


def pending_count(*, only_missing: bool = False) -> int:
    todo = Document.objects.exclude(status__in=_SKIPPED)
    if only_missing:
        todo = todo.exclude(fingerprint__version=VERSION)
    return todo.count()
