"""The market follows documents: upload rewards when a document is published,
and again when OCR adds text to it (a scan may only then meet the
minimum-content rule; the reward is still paid at most once)."""

import logging
from typing import Any

from django.dispatch import receiver

from openwenku.documents.signals import (
    document_published,
    document_removed_for_cause,
    document_restored,
    document_text_changed,
)

log = logging.getLogger(__name__)


@receiver(document_published, dispatch_uid="market_upload_reward")
@receiver(document_text_changed, dispatch_uid="market_upload_reward_after_ocr")
def reward_upload(sender: Any, document_id: int, **kwargs: Any) -> None:
    from .services import upload_reward_grant

    try:
        upload_reward_grant(document_id=document_id)
    except Exception:  # a reward must never break publishing
        log.exception("upload reward for document %s failed", document_id)


@receiver(document_removed_for_cause, dispatch_uid="market_takedown_freeze")
def freeze_on_takedown(sender: Any, document_id: int, cause: str = "", **kwargs: Any) -> None:
    """Taken down for cause: reward back, sale income frozen (reversed if the site says so)."""
    from openwenku.documents.models import Document

    from .services import takedown_earnings_freeze

    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        takedown_earnings_freeze(document=document, cause=cause, by=kwargs.get("by"))
    except Exception:  # the takedown stands; the freeze is logged for an operator to redo
        log.exception("freezing the earnings of taken-down document %s failed", document_id)


@receiver(document_restored, dispatch_uid="market_takedown_unfreeze")
def unfreeze_on_restore(sender: Any, document_id: int, **kwargs: Any) -> None:
    from openwenku.documents.models import Document

    from .services import takedown_earnings_unfreeze

    document = Document.objects.filter(pk=document_id).first()
    if document is not None:
        takedown_earnings_unfreeze(document=document)
