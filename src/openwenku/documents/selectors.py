"""Reads of documents, with the visibility rules in one place."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from openwenku.discovery.models import Category

from .models import Document, DocumentPage


def public_documents() -> QuerySet[Document]:
    """Documents any reader may see."""
    return Document.objects.filter(status=Document.Status.READY)


def can_manage(user, document: Document) -> bool:
    return bool(user and user.is_authenticated and (user.pk == document.owner_id or user.is_staff))


def document_for_reader(user, document_id: int) -> Document:
    """The document if ``user`` may see its page; 404 otherwise.

    Readers see ready documents; the uploader and operators also see theirs
    while converting or after a failure. Nothing else reveals that a number exists.
    """
    document = (
        Document.objects.select_related("owner", "category", "category__parent")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise Http404
    if document.status != Document.Status.READY and not can_manage(user, document):
        raise Http404
    return document


def page_for_reader(user, document_id: int, number: int) -> DocumentPage:
    """A page image a reader may fetch: 404 for a page beyond what ``user`` may see.

    Pages past the free preview exist only for those who may download the
    document (buyers, the uploader, operators); see market.selectors.access_for.
    """
    from openwenku.market.selectors import visible_page_count

    document = (
        Document.objects.filter(pk=document_id)
        .only("id", "status", "owner_id", "price", "preview_pages", "page_count")
        .first()
    )
    if document is None:
        raise Http404
    if document.status != Document.Status.READY and not can_manage(user, document):
        raise Http404
    if number < 1 or number > visible_page_count(user, document):
        raise Http404
    page = DocumentPage.objects.filter(document_id=document_id, number=number).first()
    if page is None:
        raise Http404
    return page


def preview_limit(document: Document) -> int:
    """How many leading pages anyone may see without buying the document.

    A free document shows every page. A priced one shows ``preview_pages`` if
    the uploader (or an operator) set it, else the site default. The market's
    entitlement check decides who sees more; search snippets and page text
    never go beyond this limit for readers without it.
    """
    from openwenku.market.models import MarketSettings

    total = document.page_count
    if document.preview_pages is not None:
        return min(document.preview_pages, total)
    if document.price == 0:
        return total
    return min(MarketSettings.current().default_preview_pages, total)


def document_full_text(document: Document) -> str:
    """Every page's text: for indexing only, never to be shown past the paywall."""
    parts = DocumentPage.objects.filter(document=document).order_by("number")
    return "\n".join(t for t in parts.values_list("text", flat=True) if t)


def document_visible_text(document: Document, user=None) -> str:
    """The text ``user`` may read: the free preview pages, or every page for
    whoever may download the document. ``user=None`` means an anonymous reader
    (what search snippets, meta descriptions and sitemaps may show)."""
    from openwenku.market.selectors import visible_page_count

    limit = visible_page_count(user, document) if user is not None else preview_limit(document)
    return document_text_upto(document, limit)


def document_text_upto(document: Document, last_page: int) -> str:
    """The text of pages 1..``last_page`` (the caller decides what may be shown)."""
    parts = DocumentPage.objects.filter(document=document, number__lte=last_page)
    return "\n".join(t for t in parts.order_by("number").values_list("text", flat=True) if t)


def category_descendant_ids(category: Category) -> list[int]:
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [c for c in frontier if c not in ids]
        ids += frontier
    return ids


def related_documents(document: Document, limit: int = 10) -> list[Document]:
    """Documents most like this one by their text (search's more-like-this), then
    the same category (most viewed, then newest) to fill the list."""
    from openwenku.search.selectors import more_like_this

    related = more_like_this(document, limit=limit)
    if len(related) >= limit or document.category_id is None:
        return related[:limit]
    qs = (
        public_documents()
        .filter(category_id__in=category_descendant_ids(document.category))
        .exclude(pk__in=[document.pk, *(d.pk for d in related)])
        .select_related("owner")
        .order_by("-view_count", "-created_at")
    )
    return related + list(qs[: limit - len(related)])


def documents_of(user) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).select_related("category").order_by("-created_at")
