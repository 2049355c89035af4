"""The market follows documents: upload rewards when a document is published,
and again when OCR adds text to it (a scan may only then meet the
minimum-content rule; the reward is still paid at most once)."""

import logging
from typing import Any

from django.dispatch import receiver

from openwenku.documents.signals import document_published, document_text_changed

log = logging.getLogger(__name__)


@receiver(document_published, dispatch_uid="market_upload_reward")
@receiver(document_text_changed, dispatch_uid="market_upload_reward_after_ocr")
def reward_upload(sender: Any, document_id: int, **kwargs: Any) -> None:
    from .services import upload_reward_grant

    try:
        upload_reward_grant(document_id=document_id)
    except Exception:  # a reward must never break publishing
        log.exception("upload reward for document %s failed", document_id)
