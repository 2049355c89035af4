"""A deleted document leaves the index with it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete

from openwenku.documents.models import Document


def _forget(sender: Any, instance: Document, **kwargs: Any) -> None:
    from .services import forget

    forget(instance)


def connect() -> None:
    pre_delete.connect(_forget, sender=Document, dispatch_uid="similarity-forget")
