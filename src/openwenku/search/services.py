"""Changes to the search index and the query log."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from openwenku.access.policy import preview_limit
from openwenku.documents.models import Document, DocumentPage

from . import analysis
from .backends import get_backend
from .models import QueryLog, QueryStat, SearchEntry

logger = logging.getLogger(__name__)

# Characters of public text that feed the document's keywords.
KEYWORD_SOURCE_CHARS = 20_000
# Searches that look like they carry personal data are not logged.
_PERSONAL = re.compile(r"@|\d{7,}")


def _settings() -> dict[str, Any]:
    return settings.OPENWENKU.get("SEARCH", {})


def _metadata(document: Document) -> tuple[str, str]:
    """(title column, keywords column) of a document."""
    stem = PurePath(document.original_name or "").stem
    title = analysis.index_text([document.title, stem if stem != document.title else ""])
    names = [t.name for t in document.tags.all()]
    if document.category is not None:  # (selected with the document)
        names += [c.name for c in document.category.ancestry()]
    keywords = analysis.index_text([*names, document.description, document.format])
    return title, keywords


def _top_terms(document: Document, public_text: str) -> list[str]:
    tags = " ".join(t.name for t in document.tags.all())
    source = f"{document.title}\n{tags}\n{document.description}\n{public_text}"
    return analysis.keywords(source[:KEYWORD_SOURCE_CHARS], limit=12)


def _public_text(document: Document) -> str:
    """Text of the pages anyone may preview, up to what keywords need."""
    limit = preview_limit(document)
    out, size = [], 0
    pages = DocumentPage.objects.filter(document=document, number__lte=limit).order_by("number")
    for text in pages.values_list("text", flat=True).iterator(chunk_size=50):
        out.append(text)
        size += len(text)
        if size >= KEYWORD_SOURCE_CHARS:
            break
    return "\n".join(out)


def _indexable(document_id: int) -> Document | None:
    return (
        Document.objects.select_related("category", "category__parent")
        .prefetch_related("tags")
        .filter(pk=document_id, status=Document.Status.READY)
        .first()
    )


def search_index_document(*, document_id: int) -> bool:
    """(Re)index a document from its title, metadata and the text of every page.

    A document that is not ready (or no longer exists) is removed instead.
    Returns whether the document is in the index afterwards.
    """
    document = _indexable(document_id)
    if document is None:
        search_remove_document(document_id=document_id)
        return False
    texts = list(
        DocumentPage.objects.filter(document=document)
        .order_by("number")
        .values_list("text", flat=True)
    )
    full = "\n".join(t for t in texts if t)
    title, keywords = _metadata(document)
    body = analysis.index_text([full])
    _write(
        document,
        title=title,
        keywords=keywords,
        body=body,
        text=analysis.compact(full),
        top_terms=_top_terms(document, _public_text(document)),
    )
    return True


def search_update_metadata(*, document_id: int) -> bool:
    """Refresh title, keywords and related terms; the segmented body is kept."""
    entry = SearchEntry.objects.filter(document_id=document_id).only("body", "text").first()
    document = _indexable(document_id)
    if entry is None or document is None:
        return search_index_document(document_id=document_id)
    title, keywords = _metadata(document)
    _write(
        document,
        title=title,
        keywords=keywords,
        body=entry.body,
        text=entry.text,
        top_terms=_top_terms(document, _public_text(document)),
    )
    return True


def _write(
    document: Document,
    *,
    title: str,
    keywords: str,
    body: str,
    text: str,
    top_terms: list[str],
) -> None:
    backend = get_backend()
    columns = {
        "title": title,
        "keywords": keywords,
        "body": body,
        "text": text,
        "top_terms": top_terms,
    }
    with transaction.atomic():
        SearchEntry.objects.update_or_create(document=document, defaults=columns)
        backend.after_write(document.pk, title, keywords, body)


def search_remove_document(*, document_id: int) -> None:
    """Take a document out of the index at once (unpublished, taken down, deleted)."""
    SearchEntry.objects.filter(document_id=document_id).delete()


def search_reindex(
    *,
    only_missing: bool = False,
    batch_size: int = 200,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Rebuild the index in place, one document at a time.

    Readers keep searching meanwhile: each row is replaced in its own
    transaction, so the index is never empty. Entries of documents that are no
    longer ready are dropped.
    """
    stale = SearchEntry.objects.exclude(document__status=Document.Status.READY)
    removed = stale.count()
    for document_id in list(stale.values_list("document_id", flat=True)):
        search_remove_document(document_id=document_id)
    ids = Document.objects.filter(status=Document.Status.READY).order_by("pk")
    if only_missing:
        ids = ids.filter(search_entry__isnull=True)
    indexed = failed = 0
    last = 0
    while True:
        chunk = list(ids.filter(pk__gt=last).values_list("pk", flat=True)[:batch_size])
        if not chunk:
            break
        for document_id in chunk:
            try:
                indexed += search_index_document(document_id=document_id)
            except Exception:
                failed += 1
                logger.exception("could not index document %s", document_id)
            if progress:
                progress(1)
        last = chunk[-1]
    get_backend().optimize()
    return {"indexed": indexed, "removed": removed, "failed": failed}


def search_log_query(*, query: str, results: int) -> None:
    """Count a search for suggestions, related searches and the operators' reports.

    Nothing identifies who searched; queries that look like they carry personal
    data (an e-mail address, a phone or ID number) are not kept at all.
    """
    query = analysis.collapse_spaces(analysis.normalize(query))[:100]
    if not query or _PERSONAL.search(query):
        return
    entry = QueryLog.objects.create(query=query, results=results)
    updated = QueryStat.objects.filter(query=query).update(
        count=F("count") + 1, last_results=results, last_searched_at=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                QueryStat.objects.create(query=query, count=1, last_results=results)
        except IntegrityError:  # another request created it first
            QueryStat.objects.filter(query=query).update(count=F("count") + 1)
    if entry.pk % 1000 == 0:
        search_prune_log()


def search_prune_log() -> int:
    days = _settings().get("LOG_DAYS", 180)
    cutoff = timezone.now() - timedelta(days=days)
    deleted, _ = QueryLog.objects.filter(created_at__lt=cutoff).delete()
    return deleted
