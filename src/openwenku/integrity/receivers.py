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


def on_word_list_saved(sender, **kwargs) -> None:
    """Any change to a word or a category (the shell included) rebuilds every
    worker's matcher; services and the admin also audit theirs."""
    from django.db.models import F

    from .models import WordListVersion

    if not WordListVersion.objects.filter(pk=1).update(version=F("version") + 1):
        WordListVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from .models import SensitiveWord, WordCategory

    signals.document_changed.connect(on_changed, dispatch_uid="integrity.changed")
    signals.document_text_changed.connect(on_text_changed, dispatch_uid="integrity.text_changed")
    for model in (SensitiveWord, WordCategory):
        for signal in (post_save, post_delete):
            signal.connect(
                on_word_list_saved, sender=model, dispatch_uid=f"integrity.{model.__name__}"
            )
