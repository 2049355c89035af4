"""Changes to the search index and the query log."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.access.policy import preview_limit
from openwenku.core import ratelimit
from openwenku.core.errors import TooManyRequests
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


def _public_pages(document: Document) -> Iterator[str]:
    """Texts of the pages anyone may preview (``preview_limit``), in order."""
    limit = preview_limit(document)
    pages = DocumentPage.objects.filter(document=document, number__lte=limit).order_by("number")
    return pages.values_list("text", flat=True).iterator(chunk_size=50)


def _public_text(document: Document) -> str:
    """Text of the pages anyone may preview, up to what keywords need."""
    out, size = [], 0
    for text in _public_pages(document):
        out.append(text)
        size += len(text)
        if size >= KEYWORD_SOURCE_CHARS:
            break
    return "\n".join(out)


def _phrase_text(document: Document) -> str:
    """What quoted phrases are checked against: the free preview pages only.

    Words of paid pages still find a document (the segmented ``body`` holds every
    page), but a phrase test on them would tell, one query at a time, whether any
    sentence is on a paid page (issue 11, item 8)."""
    return analysis.compact("\n".join(t for t in _public_pages(document) if t))


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
        text=_phrase_text(document),
        top_terms=_top_terms(document, _public_text(document)),
    )
    return True


def search_update_metadata(*, document_id: int) -> bool:
    """Refresh title, keywords, related terms and the phrase text (a new price or
    preview changes which pages are public); the segmented body is kept."""
    entry = SearchEntry.objects.filter(document_id=document_id).only("body").first()
    document = _indexable(document_id)
    if entry is None or document is None:
        return search_index_document(document_id=document_id)
    title, keywords = _metadata(document)
    _write(
        document,
        title=title,
        keywords=keywords,
        body=entry.body,
        text=_phrase_text(document),
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


def search_refresh_phrase_texts(*, only_default_preview: bool = True) -> int:
    """Recompute the phrase text (free pages only) of indexed documents whose free
    pages follow the site's default (priced, no preview of their own): after an
    operator changes the default, a lowered one must hide its pages from phrases
    at once. ``only_default_preview=False`` does every entry. Returns the count."""
    entries = SearchEntry.objects.all()
    if only_default_preview:
        entries = entries.filter(document__price__gt=0, document__preview_pages__isnull=True)
    done, last = 0, 0
    while True:
        chunk = list(
            entries.filter(document_id__gt=last)
            .order_by("document_id")
            .values_list("document_id", flat=True)[:200]
        )
        if not chunk:
            return done
        for document in Document.objects.filter(pk__in=chunk):
            SearchEntry.objects.filter(document_id=document.pk).update(text=_phrase_text(document))
            done += 1
        last = chunk[-1]


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


# --- rate limit ---------------------------------------------------------------------
# Searches a person makes in a minute, at most: paging through results and
# refining a query stay far below it; a script testing sentences one by one does not.
SEARCH_RATE_WINDOW = 60


class SearchRateLimited(TooManyRequests):
    default_message = _("You are searching very fast. Please wait a minute, then search again.")


def search_rate_check(*, client: str, member_id: int | None) -> None:
    """Count one search by a client (its address) or a member; raise
    :class:`SearchRateLimited` past ``OPENWENKU_SEARCH_RATE`` a minute.

    A member is counted as the member, from any address, and their address also
    against ``OPENWENKU_SEARCH_RATE_PER_IP`` (many members may share one address
    behind a NAT; one script may not rotate accounts there). Anyone else is
    counted by address."""
    rate = int(_settings().get("RATE", 60))
    if rate <= 0:
        return
    if member_id is None:
        checks = [("search-ip", client, rate)]
    else:
        per_ip = int(_settings().get("RATE_PER_IP", rate * 10))
        checks = [("search-member", str(member_id), rate), ("search-member-ip", client, per_ip)]
    for bucket, who, limit in checks:
        if limit <= 0:
            continue
        verdict = ratelimit.hit(bucket, who, limit=limit, window=SEARCH_RATE_WINDOW)
        if not verdict.allowed:
            raise SearchRateLimited(retry_after=verdict.retry_after)
