"""The market follows documents: upload rewards when a document is published."""

import logging
from typing import Any

from django.dispatch import receiver

from openwenku.documents.signals import document_published

log = logging.getLogger(__name__)


@receiver(document_published, dispatch_uid="market_upload_reward")
def reward_upload(sender: Any, document_id: int, **kwargs: Any) -> None:
    from .services import upload_reward_grant

    try:
        upload_reward_grant(document_id=document_id)
    except Exception:  # a reward must never break publishing
        log.exception("upload reward for document %s failed", document_id)
