"""What readers are shown to find documents: the category tree with counts, the
newest and most read documents, a category's documents, related documents.
Every list starts from ``access.selectors.listable_documents()``."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from openwenku.access.selectors import listable_documents
from openwenku.documents.models import Category, Document
from openwenku.documents.selectors import category_descendant_ids
from openwenku.search.selectors import more_like_this


def category_tree() -> list[Category]:
    """Root categories with their children prefetched, and ready-document counts."""
    ready = Q(documents__status=Document.Status.READY)
    nodes = list(Category.objects.annotate(doc_count=Count("documents", filter=ready)))
    by_parent: dict[int | None, list[Category]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = by_parent.get(node.pk, [])  # type: ignore[attr-defined]
        node.total_count = node.doc_count + sum(c.doc_count for c in node.child_nodes)  # type: ignore[attr-defined]
    return by_parent.get(None, [])


def newest_documents(limit: int = 20) -> QuerySet[Document]:
    return listable_documents().select_related("owner").order_by("-created_at")[:limit]


def popular_documents(limit: int = 10) -> QuerySet[Document]:
    return (
        listable_documents().select_related("owner").order_by("-view_count", "-created_at")[:limit]
    )


def documents_in_category(category: Category, order: str = "new") -> QuerySet[Document]:
    qs = listable_documents().filter(category_id__in=category_descendant_ids(category))
    ordering = ("-view_count", "-created_at") if order == "popular" else ("-created_at",)
    return qs.select_related("owner").order_by(*ordering)


def related_documents(document: Document, limit: int = 10) -> list[Document]:
    """Documents most like this one by their text (search's more-like-this), then
    the same category (most viewed, then newest) to fill the list."""
    related = more_like_this(document, limit=limit)
    if len(related) >= limit or document.category is None:
        return related[:limit]
    qs = (
        listable_documents()
        .filter(category_id__in=category_descendant_ids(document.category))
        .exclude(pk__in=[document.pk, *(d.pk for d in related)])
        .select_related("owner")
        .order_by("-view_count", "-created_at")
    )
    return related + list(qs[: limit - len(related)])
