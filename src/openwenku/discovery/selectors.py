from __future__ import annotations

from django.db.models import Count, Q

from openwenku.documents.models import Document
from openwenku.documents.selectors import category_descendant_ids, public_documents

from .models import Category


def category_tree() -> list[Category]:
    """Root categories with their children prefetched, and ready-document counts."""
    ready = Q(documents__status=Document.Status.READY)
    nodes = list(Category.objects.annotate(doc_count=Count("documents", filter=ready)))
    by_parent: dict[int | None, list[Category]] = {}
    for node in nodes:
        by_parent.setdefault(node.parent_id, []).append(node)
    for node in nodes:
        node.child_nodes = by_parent.get(node.pk, [])
        node.total_count = node.doc_count + sum(c.doc_count for c in node.child_nodes)
    return by_parent.get(None, [])


def newest_documents(limit: int = 20):
    return public_documents().select_related("owner").order_by("-created_at")[:limit]


def popular_documents(limit: int = 10):
    return public_documents().select_related("owner").order_by("-view_count", "-created_at")[:limit]


def documents_in_category(category: Category, order: str = "new"):
    qs = public_documents().filter(category_id__in=category_descendant_ids(category))
    ordering = ("-view_count", "-created_at") if order == "popular" else ("-created_at",)
    return qs.select_related("owner").order_by(*ordering)
