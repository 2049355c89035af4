"""The conversion app's background tasks (Django's Tasks API, database backend).

Payloads are document ids; both tasks are safe to run twice. They are queued
by conversion's receivers (receivers.py) and by the recovery sweep.
"""

from django_tasks import task

from . import ocr_pipeline, pipeline


@task()
def convert_document(document_id: int) -> str:
    """Background conversion of one document. Safe to run twice."""
    return pipeline.convert(document_id)


# Below conversions: a new upload's pages come before OCR of published ones.
@task(priority=-10)
def ocr_document(document_id: int) -> int:
    """OCR of the pages of a published document that lack a usable text layer."""
    return ocr_pipeline.ocr_document(document_id)
