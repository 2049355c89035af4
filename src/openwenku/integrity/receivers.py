"""Re-run the checks when a document's metadata or text changes (after commit)."""

from __future__ import annotations

import logging

from openwenku.documents import signals
from openwenku.documents.models import Document

from . import services

logger = logging.getLogger(__name__)


def _recheck(document_id: int, *, metadata_only: bool) -> None:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        services.integrity_recheck(document=document, metadata_only=metadata_only)
    except Exception:
        # An edit must not fail because of a check; `openwenku checks run` repairs it.
        logger.exception("content re-check failed for document %s", document_id)


def on_changed(sender, document_id: int, **kwargs) -> None:
    _recheck(document_id, metadata_only=True)


def on_text_changed(sender, document_id: int, **kwargs) -> None:
    _recheck(document_id, metadata_only=False)


def connect() -> None:
    signals.document_changed.connect(on_changed, dispatch_uid="integrity.changed")
    signals.document_text_changed.connect(on_text_changed, dispatch_uid="integrity.text_changed")
