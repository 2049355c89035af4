"""Reads of documents that involve no reader: their own text, the category tree,
a member's own uploads. Who may see what is ``openwenku.access``'s business."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .models import Category, Document, DocumentPage

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def document_text_upto(document: Document, last_page: int) -> str:
    """The text of pages 1..``last_page`` (the caller decides what may be shown)."""
    parts = DocumentPage.objects.filter(document=document, number__lte=last_page)
    return "\n".join(t for t in parts.order_by("number").values_list("text", flat=True) if t)


def category_descendant_ids(category: Category) -> list[int]:
    """The category and every category below it."""
    ids, frontier = [category.pk], [category.pk]
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        frontier = [c for c in frontier if c not in ids]
        ids += frontier
    return ids


def documents_of(user: User) -> QuerySet[Document]:
    """A member's own uploads, in every state, newest first."""
    return Document.objects.filter(owner=user).select_related("category").order_by("-created_at")
