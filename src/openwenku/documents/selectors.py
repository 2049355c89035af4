"""Reads of documents that involve no reader: their own text, the category tree,
a member's own uploads. Who may see what is ``openwenku.access``'s business."""

from __future__ import annotations

from collections.abc import Iterable
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


def category_tree(
    categories: Iterable[Category] | None = None,
) -> list[tuple[Category, int]]:
    """Categories in tree order with their depth (0 for a top-level one): each
    parent followed by its children, siblings by position. For the category
    selects, so sub-categories sit under their parents. One query."""
    nodes = list(Category.objects.all() if categories is None else categories)
    present = {c.pk for c in nodes}
    children: dict[int | None, list[Category]] = {}
    for node in nodes:
        parent = node.parent_id if node.parent_id in present else None
        children.setdefault(parent, []).append(node)
    for siblings in children.values():
        siblings.sort(key=lambda c: (c.position, c.pk))
    ordered: list[tuple[Category, int]] = []
    seen: set[int] = set()

    def walk(parent: int | None, depth: int) -> None:
        for node in children.get(parent, []):
            if node.pk not in seen:
                seen.add(node.pk)
                ordered.append((node, depth))
                walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def category_label(category: Category, depth: int) -> str:
    """A category's label in a select: its name, indented under its parent."""
    return "— " * depth + category.name


def documents_of(user: User) -> QuerySet[Document]:
    """A member's own uploads, in every state, newest first."""
    return Document.objects.filter(owner=user).select_related("category").order_by("-created_at")
