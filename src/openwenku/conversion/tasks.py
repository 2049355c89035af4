from django_tasks import task

from . import pipeline


@task()
def convert_document(document_id: int) -> str:
    """Background conversion of one document. Safe to run twice."""
    return pipeline.convert(document_id)
