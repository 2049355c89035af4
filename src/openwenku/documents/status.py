"""The conversion status as users see it, shared by pages, JSON and the API."""

from django.utils.translation import gettext as _

from .models import Document


def status_label(document: Document) -> str:
    if document.status == Document.Status.CONVERTING and document.page_count:
        return _("Converting: %(ready)d of %(total)d pages ready") % {
            "ready": document.pages_ready,
            "total": document.page_count,
        }
    if document.status == Document.Status.FAILED:
        return _("Failed: %(reason)s") % {"reason": document.failure_message}
    if document.status == Document.Status.HELD and document.failure_message:
        return _("Under review: %(reason)s") % {"reason": document.failure_message}
    if document.status == Document.Status.REJECTED and document.failure_message:
        return _("Rejected: %(reason)s") % {"reason": document.failure_message}
    return str(document.get_status_display())


def status_payload(document: Document) -> dict:
    return {
        "id": document.pk,
        "title": document.title,
        "status": document.status,
        "status_label": status_label(document),
        "page_count": document.page_count,
        "pages_ready": document.pages_ready,
        "error": document.failure_message or None,
        "done": document.status
        in (
            Document.Status.READY,
            Document.Status.FAILED,
            Document.Status.HELD,
            Document.Status.REJECTED,
            Document.Status.TAKEN_DOWN,
        ),
        "reasons": status_reasons(document),
    }


def status_reasons(document: Document) -> list[str]:
    """Why a document is held or was rejected (every gate's reason), else []."""
    if document.status not in (Document.Status.HELD, Document.Status.REJECTED):
        return []
    if document.failure_code == "review_rejected":
        return [document.failure_message]
    rest = [r for r in document.failure_reason.split("; ") if r][1:]
    first = document.failure_message
    return ([first] if first else []) + rest
