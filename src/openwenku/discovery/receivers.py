"""Discovery follows deletions: a deleted public document leaves a tombstone (410)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from openwenku.documents.models import Document

from .models import RemovedDocument


@receiver(pre_delete, sender=Document, dispatch_uid="discovery_tombstone")
def remember_removed_document(sender: type[Document], instance: Document, **kwargs: Any) -> None:
    # In the deleting transaction: a delete that is rolled back leaves none.
    if instance.status == Document.Status.READY:
        RemovedDocument.objects.get_or_create(id=instance.pk)
