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
    """A page image a reader may fetch (paywall rules arrive with purchases)."""
    document = Document.objects.filter(pk=document_id).only("id", "status", "owner_id").first()
    if document is None:
        raise Http404
    if document.status != Document.Status.READY and not can_manage(user, document):
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
    from django.conf import settings

    total = document.page_count
    if document.preview_pages is not None:
        return min(document.preview_pages, total)
    if document.price == 0:
        return total
    return min(settings.OPENWENKU["DEFAULT_PREVIEW_PAGES"], total)


def document_full_text(document: Document) -> str:
    parts = DocumentPage.objects.filter(document=document).order_by("number")
    return "\n".join(t for t in parts.values_list("text", flat=True) if t)


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
    """Same category first (most viewed, then newest); search-based relations come later."""
    if document.category_id is None:
        return []
    qs = (
        public_documents()
        .filter(category_id__in=category_descendant_ids(document.category))
        .exclude(pk=document.pk)
        .select_related("owner")
        .order_by("-view_count", "-created_at")
    )
    return list(qs[:limit])


def documents_of(user) -> QuerySet[Document]:
    return Document.objects.filter(owner=user).select_related("category").order_by("-created_at")
