"""Highlighted snippets, cut only from the pages a reader may preview.

The paywall: text of pages after ``preview_limit(document)`` is never read here,
so it cannot leave the server through search results or the API.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from django.db import connection, models

from openwenku.access.policy import preview_limit
from openwenku.documents.models import Document, DocumentPage

from . import analysis

SNIPPET_CHARS = 120
LEAD_CHARS = 24
MAX_PAGES_SCANNED = 60
_ELLIPSIS = "…"
_ASCII_WORD = re.compile(r"[0-9a-z]")


@dataclass(frozen=True)
class Snippet:
    page: int
    segments: list[tuple[str, bool]]  # (text, is a query word)

    @property
    def text(self) -> str:
        return "".join(s for s, _ in self.segments)

    @property
    def highlights(self) -> list[tuple[int, int]]:
        out, pos = [], 0
        for s, hit in self.segments:
            if hit:
                out.append((pos, pos + len(s)))
            pos += len(s)
        return out


def _clean(text: str) -> str:
    return analysis._SPACE_IN_HAN.sub("", analysis.collapse_spaces(text))


def _find_all(folded: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of the terms (longest first) in normalised text."""
    # The spans taken so far, disjoint and sorted: a new one overlaps one of them only
    # if it overlaps the last that starts before it ends.
    starts: list[int] = []
    ends: list[int] = []
    for term in terms:
        if not term:
            continue
        latin_start, latin_end = _ASCII_WORD.match(term[0]), _ASCII_WORD.match(term[-1])
        start = 0
        while True:
            i = folded.find(term, start)
            if i < 0:
                break
            j = i + len(term)
            start = i + 1
            # A Latin word must be a whole word: "c" does not light up "cat".
            if latin_start and i > 0 and _ASCII_WORD.match(folded[i - 1]):
                continue
            if latin_end and j < len(folded) and _ASCII_WORD.match(folded[j]):
                continue
            at = bisect.bisect_left(starts, j)
            if at and ends[at - 1] > i:
                continue
            starts.insert(at, i)
            ends.insert(at, j)
    return list(zip(starts, ends, strict=True))


def highlight(text: str, terms: list[str]) -> list[tuple[str, bool]]:
    folded = analysis.normalize_aligned(text)
    if len(folded) != len(text):
        return [(text, False)]
    segments, pos = [], 0
    for i, j in _find_all(folded, terms):
        if i > pos:
            segments.append((text[pos:i], False))
        segments.append((text[i:j], True))
        pos = j
    if pos < len(text):
        segments.append((text[pos:], False))
    return segments


def _window(text: str, at: int) -> tuple[str, int, int]:
    start = max(0, at - LEAD_CHARS)
    end = min(len(text), start + SNIPPET_CHARS - 2)
    start = max(0, min(start, end - (SNIPPET_CHARS - 2)))
    return text[start:end], start, end


def page_snippet(document: Document, terms: list[str]) -> Snippet | None:
    """The best preview page for the query words and a ≤120-character window of it."""
    limit = preview_limit(document)
    if limit < 1:
        return None
    pages = (
        DocumentPage.objects.filter(document=document, number__lte=limit)
        .exclude(text="")
        .order_by("number")
        .values_list("number", "text")
    )
    snippet, _ = _best_snippet(pages.iterator(chunk_size=20), _fold_terms(terms))
    return snippet


# Pages per document read in one query for a whole page of hits; the words are
# nearly always found there. A document that needs more is scanned on its own.
BATCH_PAGES = 3


def page_snippets(documents: list[Document], terms: list[str]) -> dict[int, Snippet | None]:
    """page_snippet() for many documents, mostly with one query (same results)."""
    folded_terms = _fold_terms(terms)
    limits = {d.pk: preview_limit(d) for d in documents}
    wanted = [d for d in documents if limits[d.pk] >= 1]
    out: dict[int, Snippet | None] = {d.pk: None for d in documents}
    if not wanted:
        return out
    # Only pages 1..preview_limit() of each document are ever read. Documents are
    # grouped by how many pages are read.
    by_pages: dict[int, list[int]] = {}
    for d in wanted:
        by_pages.setdefault(min(limits[d.pk], BATCH_PAGES), []).append(d.pk)
    by_document: dict[int, list[tuple[int, str]]] = {d.pk: [] for d in wanted}
    for document_id, number, text in _first_pages(by_pages):
        by_document[document_id].append((number, text))
    for d in wanted:
        snippet, complete = _best_snippet(by_document[d.pk], folded_terms)
        if complete or limits[d.pk] <= BATCH_PAGES:
            out[d.pk] = snippet
        else:
            out[d.pk] = page_snippet(d, terms)
    return out


def _first_pages(by_pages: dict[int, list[int]]) -> list[tuple[int, int, str]]:
    """(document, number, text) of the non-empty pages 1..n of the documents listed
    under n, in document and page order: one statement (written out, as the ORM takes
    longer to build it than the database to answer it)."""
    quote = connection.ops.quote_name
    table = quote(DocumentPage._meta.db_table)
    document = quote(_column("document"))
    number = quote(_column("number"))
    text = quote(_column("text"))
    clauses, params = [], []
    for pages, ids in sorted(by_pages.items()):
        clauses.append(f"({document} IN ({', '.join(['%s'] * len(ids))}) AND {number} <= %s)")
        params += [*ids, pages]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {document}, {number}, {text} FROM {table} "  # noqa: S608
            f"WHERE ({' OR '.join(clauses)}) AND {text} <> '' ORDER BY {document}, {number}",
            params,
        )
        return cursor.fetchall()


def _fold_terms(terms: list[str]) -> list[str]:
    return [analysis.normalize(t) for t in terms if t.strip()]


def _best_snippet(pages, folded_terms: list[str]) -> tuple[Snippet | None, bool]:
    """(snippet, whether a page had every word) from (number, text) pages in order."""
    best: tuple[int, int, str] | None = None  # (distinct words, page number, text)
    first: tuple[int, str] | None = None
    complete = False
    for scanned, (number, raw) in enumerate(pages):
        text = _clean(raw)
        if not text:
            continue
        if first is None:
            first = (number, text)
        folded = analysis.normalize(text)
        found = sum(1 for t in folded_terms if t in folded)
        if found and (best is None or found > best[0]):
            best = (found, number, text)
            if found == len(folded_terms):
                complete = True
                break
        if scanned + 1 >= MAX_PAGES_SCANNED:
            break
    if best is None:
        if first is None:
            return None, complete
        number, text = first
        window, _, end = _window(text, 0)
        tail = _ELLIPSIS if end < len(text) else ""
        return Snippet(page=number, segments=[(window + tail, False)]), complete
    _, number, text = best
    spans = _find_all(analysis.normalize_aligned(text), folded_terms)
    at = spans[0][0] if spans else 0
    window, start, end = _window(text, at)
    segments = highlight(window, folded_terms)
    if start > 0:
        segments.insert(0, (_ELLIPSIS, False))
    if end < len(text):
        segments.append((_ELLIPSIS, False))
    return Snippet(page=number, segments=segments), complete


def _column(name: str) -> str:
    field = DocumentPage._meta.get_field(name)
    assert isinstance(field, models.Field) and field.column is not None  # concrete fields
    return field.column
