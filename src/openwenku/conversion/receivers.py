"""Put conversion and OCR work on the task queue when it is due.

Listens to documents' ``document_uploaded`` and conversion's own
``conversion_requested`` (a retry), which queue a conversion, and to
``document_published``: a published document whose pages lack a usable text
layer gets its OCR queued. All are sent after commit.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from openwenku.documents.models import DocumentPage
from openwenku.documents.signals import document_published, document_uploaded

from .signals import conversion_requested
from .tasks import convert_document, ocr_document


def on_conversion_requested(sender: object, document_id: int, **kwargs: Any) -> None:
    convert_document.enqueue(document_id)


def on_published(sender: object, document_id: int, **kwargs: Any) -> None:
    if not settings.OPENWENKU["OCR_ENABLED"]:
        return
    if DocumentPage.objects.filter(document_id=document_id, needs_ocr=True).exists():
        ocr_document.enqueue(document_id)


def connect() -> None:
    document_uploaded.connect(on_conversion_requested, dispatch_uid="conversion.uploaded")
    conversion_requested.connect(on_conversion_requested, dispatch_uid="conversion.requested")
    document_published.connect(on_published, dispatch_uid="conversion.published")
