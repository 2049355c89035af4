"""Reading the near-duplicate index: the documents similar to one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from django.conf import settings
from django.db.models import Count, Q

from openwenku.documents.models import Document

from . import signature
from .models import BandKey, Fingerprint
from .services import Computed, compute, document_text

# Candidates (by shared band keys) compared exactly; the rest are ignored.
MAX_CANDIDATES = 200
# Below this many hashes of the smaller document in the samples' common range
# (a small document beside a large one), the two are compared shingle by shingle.
MIN_CONTAINMENT_SAMPLE = 32
# Candidates compared shingle by shingle per lookup at most (the best candidates
# come first: most shared band keys).
MAX_EXACT = 30


@dataclass(frozen=True)
class Match:
    document_id: int
    resemblance: float
    containment_of_new: float  # share of the document asked about found in this one
    containment_of_old: float  # share of this one found in the document asked about
    method: Literal["text", "image"]

    @property
    def score(self) -> float:
        """max(resemblance, containment of the smaller in the larger)."""
        return max(self.resemblance, self.containment_of_new, self.containment_of_old)


def threshold() -> float:
    return float(settings.OPENWENKU["NEAR_DUPLICATE"]["THRESHOLD"])


def _stored(document: Document) -> Computed | None:
    fp = Fingerprint.objects.filter(document=document).first()
    if fp is None:
        return None
    return Computed(
        method=fp.method,
        size=fp.size,
        sample=bytes(fp.sample),
        keys=np.frombuffer(bytes(fp.keys), dtype="<i8").tolist(),
    )


def candidates(
    keys: list[int], *, exclude: int | None = None, limit: int = MAX_CANDIDATES
) -> list[int]:
    """Documents sharing band keys with ``keys``, most shared first (the LSH lookup)."""
    if not keys:
        return []
    rows = BandKey.objects.filter(key__in=keys[:2000])
    if exclude is not None:
        rows = rows.exclude(document_id=exclude)
    found = (
        rows.values("document_id")
        .annotate(shared=Count("key"))
        .order_by("-shared", "document_id")[:limit]
    )
    return [row["document_id"] for row in found]


class _Exact:
    """Every distinct shingle of a document, computed from its pages when needed
    (for at most MAX_EXACT documents per lookup; None after that)."""

    def __init__(self) -> None:
        self._sets: dict[int, np.ndarray] = {}

    def available(self) -> bool:
        return len(self._sets) <= MAX_EXACT

    def __call__(self, document_id: int) -> np.ndarray:
        if document_id not in self._sets:
            self._sets[document_id] = signature.distinct_shingles(document_text(document_id))
        return self._sets[document_id]


def _compare(
    mine: Computed, mine_id: int | None, theirs: Fingerprint, exact: _Exact
) -> Match | None:
    if mine.method == Fingerprint.Method.TEXT:
        a = np.frombuffer(mine.sample, dtype="<u4")
        b = np.frombuffer(bytes(theirs.sample), dtype="<u4")
        overlap = signature.text_overlap(a, b)
        limit = min(
            int(a[-1]) if len(a) >= signature.SAMPLE else 0xFFFFFFFF,
            int(b[-1]) if len(b) >= signature.SAMPLE else 0xFFFFFFFF,
        )
        smaller = a if mine.size <= theirs.size else b
        too_few = int((smaller <= limit).sum()) < MIN_CONTAINMENT_SAMPLE
        if (overlap is None or too_few) and mine_id is not None and exact.available():
            # The samples say too little about the smaller one (a small document
            # and a large one): compare every shingle.
            overlap = signature.exact_overlap(exact(mine_id), exact(theirs.document_id))
        if overlap is None:
            return None
        method: Literal["text", "image"] = "text"
    else:
        pages_a = np.frombuffer(mine.sample, dtype="<u8").tolist()
        pages_b = np.frombuffer(bytes(theirs.sample), dtype="<u8").tolist()
        overlap = signature.image_overlap(pages_a, pages_b)
        if overlap is None:
            return None
        method = "image"
    return Match(
        document_id=theirs.document_id,
        resemblance=round(overlap.resemblance, 4),
        containment_of_new=round(overlap.containment_a, 4),
        containment_of_old=round(overlap.containment_b, 4),
        method=method,
    )


def find_similar(
    document: Document,
    *,
    limit: int = 10,
    min_score: float | None = None,
    earlier_only: bool = False,
) -> list[Match]:
    """Documents similar to ``document``, best first, itself excluded.

    Uses its stored fingerprint, or computes one (without storing it).
    ``min_score``: the lowest score returned (default: the near-duplicate
    threshold, ``OPENWENKU_NEAR_DUPLICATE_THRESHOLD``). ``earlier_only``: only
    documents uploaded before it.
    """
    mine = _stored(document) or compute(document)
    return similar_to(
        mine,
        document_id=document.pk,
        limit=limit,
        min_score=min_score,
        earlier_than=document if earlier_only else None,
    )


def similar_to(
    mine: Computed,
    *,
    document_id: int | None = None,
    limit: int = 10,
    min_score: float | None = None,
    earlier_than: Document | None = None,
) -> list[Match]:
    """Indexed documents similar to a fingerprint (``document_id``: its own, excluded)."""
    floor = threshold() if min_score is None else min_score
    if mine.method == Fingerprint.Method.NONE:
        return []
    ids = candidates(mine.keys, exclude=document_id)
    if not ids:
        return []
    rows = Fingerprint.objects.filter(document_id__in=ids, method=mine.method)
    if earlier_than is not None:
        rows = rows.filter(
            Q(document__created_at__lt=earlier_than.created_at)
            | Q(document__created_at=earlier_than.created_at, document_id__lt=earlier_than.pk)
        )
    matches = []
    exact = _Exact()
    rank = {pk: n for n, pk in enumerate(ids)}
    fetched = rows.only("document_id", "method", "size", "sample")
    for theirs in sorted(fetched, key=lambda row: rank[row.document_id]):
        match = _compare(mine, document_id, theirs, exact)
        if match is not None and match.score >= floor:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, m.document_id))
    return matches[:limit]
