"""Keep the index in step with documents (signals are sent after commit)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_save

from openwenku.conversion.signals import worker_process_started
from openwenku.documents import signals
from openwenku.market.models import MarketSettings

from . import analysis, services
from .tasks import refresh_phrase_texts

logger = logging.getLogger(__name__)


def on_published(sender, document_id: int, **kwargs) -> None:
    _safely(services.search_index_document, document_id)


def on_text_changed(sender, document_id: int, **kwargs) -> None:
    _safely(services.search_index_document, document_id)


def on_changed(sender, document_id: int, **kwargs) -> None:
    _safely(services.search_update_metadata, document_id)


def on_removed(sender, document_id: int, **kwargs) -> None:
    # Not guarded: a removed document that stays in the index is a bug to surface.
    # (Searches also check the document's status, so it never shows meanwhile.)
    services.search_remove_document(document_id=document_id)


def _safely(service, document_id: int) -> None:
    """Indexing must never break the publishing that triggered it; a failure is
    logged and repaired by ``openwenku reindex --missing``."""
    try:
        service(document_id=document_id)
    except Exception:
        logger.exception("search index update failed for document %s", document_id)


def on_market_settings_saved(sender, **kwargs) -> None:
    """The default free preview may have changed: which pages quoted phrases see
    follows it (priced documents without a preview of their own)."""
    transaction.on_commit(refresh_phrase_texts.enqueue)


def on_worker_started(sender, **kwargs) -> None:
    """Every converted document is indexed: load the segmenter as the worker starts."""
    analysis.warm_up()


def connect() -> None:
    signals.document_published.connect(on_published, dispatch_uid="search.published")
    signals.document_text_changed.connect(on_text_changed, dispatch_uid="search.text_changed")
    signals.document_changed.connect(on_changed, dispatch_uid="search.changed")
    signals.document_removed.connect(on_removed, dispatch_uid="search.removed")
    worker_process_started.connect(on_worker_started, dispatch_uid="search.warm_up")
    post_save.connect(
        on_market_settings_saved, sender=MarketSettings, dispatch_uid="search.preview_default"
    )
