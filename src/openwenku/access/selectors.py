"""Reads that apply the access rules: a document, a page or text for a reader,
and what may be listed. Views, the API, search and discovery read documents
for readers through these, never with a bare ``Document.objects.get()``."""

from __future__ import annotations

from django.db.models import QuerySet

from openwenku.documents.models import Document, DocumentPage
from openwenku.documents.selectors import document_text_upto

from .policy import AccessDenied, Action, DocumentAccess, Reader, Reason, access_for


def listable_documents() -> QuerySet[Document]:
    """Documents any reader may find in listings, search, feeds and sitemaps."""
    return Document.objects.filter(status=Document.Status.READY)


def _document(document_id: int, *fields: str) -> Document:
    """The document (only ``fields`` if given: the page-image hot path), or a 404."""
    qs = Document.objects.filter(pk=document_id)
    related = ("owner", "category", "category__parent")
    document = (qs.only(*fields) if fields else qs.select_related(*related)).first()
    if document is None:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    return document


def document_for_reader(
    reader: Reader, document_id: int, action: Action = Action.VIEW
) -> tuple[Document, DocumentAccess]:
    """The document and the reader's access to it, if ``action`` is allowed.

    Raises :class:`AccessDenied` (a 404 for a document the reader may not see).
    """
    document = _document(document_id)
    access = access_for(reader, document)
    access.check(action)
    return document, access


def page_for_reader(reader: Reader, document_id: int, number: int) -> DocumentPage:
    """A page image the reader may fetch; 404 beyond what the reader may see."""
    document = _document(
        document_id, "id", "status", "owner_id", "price", "preview_pages", "page_count"
    )
    access_for(reader, document).check(Action.READ_PAGE, number)
    page = DocumentPage.objects.filter(document_id=document_id, number=number).first()
    if page is None or not page.image:
        # A page not rendered yet (or whose rendering failed) has no image to send.
        raise AccessDenied(Reason.NO_SUCH_PAGE)
    return page


def visible_text(document: Document, access: DocumentAccess) -> str:
    """The text of the pages the reader may see, in page order."""
    if not access.can_view or access.visible_pages < 1:
        return ""
    return document_text_upto(document, access.visible_pages)


def public_text(document: Document) -> str:
    """What anyone may read: the free preview's text (meta descriptions, feeds)."""
    return visible_text(document, access_for(None, document))


def pages_for_reader(
    document: Document, access: DocumentAccess, first: int, count: int
) -> list[DocumentPage]:
    """Up to ``count`` pages from number ``first`` on, only those the reader may
    see (never a page beyond the free preview for a reader without access)."""
    last = min(first + count - 1, access.visible_pages)
    if not access.can_view or first > last:
        return []
    return list(
        document.pages.filter(number__gte=max(first, 1), number__lte=last)
        .only("document_id", "number", "width", "height")
        .order_by("number")
    )
