"""Signatures of a document's text and page images (pure computation, no database).

Text (see README "Near-duplicates"):

* the normalised text (:mod:`.normalize`) is cut into overlapping character
  shingles of ``SHINGLE`` characters, each hashed to 32 bits;
* a MinHash of every shingle (datasketch, ``NUM_PERM`` permutations, fixed seed)
  gives the whole-document LSH band keys (``BANDS`` × ``ROWS``): documents
  resembling each other share a band;
* content-defined chunks (a chunk ends after a shingle whose hash has its low
  bits zero, so chunk boundaries depend on the text around them, not on where
  it starts) each get a small MinHash and ``CHUNK_BANDS`` band keys: a document
  sharing a large part of another (the same plus appended pages, half of it)
  shares whole chunks, hence keys, even when its whole-document resemblance is low;
* a bottom-k sample (the ``SAMPLE`` smallest distinct shingle hashes) and the
  number of distinct shingles give resemblance and containment of candidates.

Images (documents with too little text): a difference hash (dhash, 64 bits) of
each page image, banded by 16 bits so that pages within 3 bits share a key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from .normalize import normalize

SHINGLE = 5
NUM_PERM = 128
SEED = 20260412
BANDS, ROWS = 32, 4
CHUNK_PERM = 4
CHUNK_BANDS, CHUNK_ROWS = 1, 4
CHUNK_SEED = 4127
# Chunks: a boundary after a shingle whose hash ≡ 0 mod CHUNK_TARGET, not closer
# than CHUNK_MIN to the last one; forced after CHUNK_MAX shingles.
CHUNK_TARGET, CHUNK_MIN, CHUNK_MAX = 512, 128, 2048
MAX_CHUNKS = 1024
SAMPLE = 256
# Fewer distinct shingles than this: too little text; page images are compared.
MIN_TEXT_SHINGLES = 200
IMAGE_BANDS = 4
# Pages hashed per document at most (the first ones).
IMAGE_MAX_PAGES = 200
# Page hashes this many bits apart or fewer are the same page.
IMAGE_MAX_DISTANCE = 6

_P = np.uint64(0x100000001B3)
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)


def _identity(value: int) -> int:
    return value


def shingle_hashes(normalized: str) -> np.ndarray:
    """The 32-bit hash of every ``SHINGLE``-character shingle, in text order."""
    codes = np.frombuffer(normalized.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    n = len(codes) - SHINGLE + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint32)
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(SHINGLE):
            h = h * _P + codes[j : j + n]
        # MurmurHash3's 64-bit finaliser: every input bit reaches the high half.
        h ^= h >> np.uint64(33)
        h *= _M1
        h ^= h >> np.uint64(33)
        h *= _M2
        h ^= h >> np.uint64(33)
    return (h >> np.uint64(32)).astype(np.uint32)


@cache
def _permutations(num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    return MinHash(num_perm=num_perm, seed=seed).permutations


def _minhash(values: np.ndarray, num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    sketch = MinHash(
        num_perm=num_perm,
        seed=seed,
        hashfunc=_identity,
        permutations=_permutations(num_perm, seed),
        scheme="affine32",
    )
    for start in range(0, len(values), 16384):
        sketch.update_batch(values[start : start + 16384])
    return sketch.hashvalues


def _key(namespace: bytes, band: int, values: bytes) -> int:
    digest = hashlib.blake2b(namespace + bytes([band]) + values, digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True)


def _band_keys(namespace: bytes, hashvalues: np.ndarray, bands: int, rows: int) -> list[int]:
    raw = hashvalues.astype("<u4")
    return [_key(namespace, b, raw[b * rows : (b + 1) * rows].tobytes()) for b in range(bands)]


def chunks(hashes: np.ndarray) -> list[np.ndarray]:
    """Content-defined chunks of the shingle hash sequence."""
    candidates = np.flatnonzero((hashes % CHUNK_TARGET) == 0)
    out: list[np.ndarray] = []
    start = 0
    for position in candidates.tolist():
        while position + 1 - start > CHUNK_MAX:
            out.append(hashes[start : start + CHUNK_MAX])
            start += CHUNK_MAX
        if position + 1 - start >= CHUNK_MIN:
            out.append(hashes[start : position + 1])
            start = position + 1
    while len(hashes) - start > CHUNK_MAX:
        out.append(hashes[start : start + CHUNK_MAX])
        start += CHUNK_MAX
    if len(hashes) - start >= CHUNK_MIN or (not out and len(hashes) > start):
        out.append(hashes[start:])
    return out


@dataclass
class TextSignature:
    shingles: int  # distinct shingles
    sample: np.ndarray  # the SAMPLE smallest distinct shingle hashes, sorted (uint32)
    keys: list[int] = field(default_factory=list)


def distinct_shingles(text: str) -> np.ndarray:
    """Every distinct shingle hash of ``text`` (not normalised yet), sorted."""
    return np.unique(shingle_hashes(normalize(text)))


def text_signature(text: str) -> TextSignature:
    """The signature of ``text`` (not normalised yet)."""
    hashes = shingle_hashes(normalize(text))
    distinct = np.unique(hashes)
    if len(distinct) == 0:
        return TextSignature(shingles=0, sample=distinct)
    keys = _band_keys(b"doc", _minhash(distinct, NUM_PERM, SEED), BANDS, ROWS)
    chunk_keys: list[int] = []
    for part in chunks(hashes):
        values = _minhash(np.unique(part), CHUNK_PERM, CHUNK_SEED)
        chunk_keys.extend(_band_keys(b"chunk", values, CHUNK_BANDS, CHUNK_ROWS))
    if len(chunk_keys) > MAX_CHUNKS * CHUNK_BANDS:
        # Keep a content-chosen subset, the same for the same text wherever it is.
        chunk_keys = sorted(chunk_keys)[: MAX_CHUNKS * CHUNK_BANDS]
    keys.extend(chunk_keys)
    return TextSignature(
        shingles=len(distinct), sample=distinct[:SAMPLE], keys=list(dict.fromkeys(keys))
    )


@dataclass
class Overlap:
    resemblance: float
    containment_a: float  # |A∩B| / |A|
    containment_b: float  # |A∩B| / |B|


def exact_overlap(a: np.ndarray, b: np.ndarray) -> Overlap | None:
    """Resemblance and containments of two complete sets of shingle hashes."""
    if len(a) == 0 or len(b) == 0:
        return None
    both = len(np.intersect1d(a, b, assume_unique=True))
    return Overlap(
        resemblance=both / (len(a) + len(b) - both),
        containment_a=both / len(a),
        containment_b=both / len(b),
    )


def text_overlap(a: np.ndarray, b: np.ndarray, *, full: int = SAMPLE) -> Overlap | None:
    """Resemblance and containments from two bottom-k samples.

    Below the smaller of the two samples' largest values both samples hold every
    hash of their set, so the hashes there are a uniform sample of A ∪ B whose
    membership in A and in B is known exactly. None when that sample is empty.
    """
    limit = min(
        int(a[-1]) if len(a) >= full else 0xFFFFFFFF,
        int(b[-1]) if len(b) >= full else 0xFFFFFFFF,
    )
    a_low = a[a <= limit]
    b_low = b[b <= limit]
    if len(a_low) == 0 or len(b_low) == 0:
        return None
    both = len(np.intersect1d(a_low, b_low, assume_unique=True))
    union = len(a_low) + len(b_low) - both
    return Overlap(
        resemblance=both / union,
        containment_a=both / len(a_low),
        containment_b=both / len(b_low),
    )


# --- page images ---------------------------------------------------------------------


def page_hash(image: object) -> int | None:
    """The dhash of a page image (a PIL image), None for a (nearly) uniform page."""
    import imagehash

    bits = imagehash.dhash(image).hash.flatten()  # type: ignore[arg-type]
    ones = int(bits.sum())
    if ones <= 4 or ones >= 60:
        return None
    return int("".join("1" if bit else "0" for bit in bits), 2)


def image_keys(hashes: list[int]) -> list[int]:
    width = 64 // IMAGE_BANDS
    mask = (1 << width) - 1
    keys = [
        _key(b"img", band, ((value >> (band * width)) & mask).to_bytes(2, "little"))
        for value in hashes
        for band in range(IMAGE_BANDS)
    ]
    return list(dict.fromkeys(keys))


def image_overlap(a: list[int], b: list[int]) -> Overlap | None:
    """Pages of A with a page of B within IMAGE_MAX_DISTANCE bits, and the reverse."""
    if not a or not b:
        return None
    a_arr = np.array(a, dtype=np.uint64)
    b_arr = np.array(b, dtype=np.uint64)
    xor = a_arr[:, None] ^ b_arr[None, :]
    distance = np.unpackbits(xor.view(np.uint8).reshape(len(a), len(b), 8), axis=2).sum(axis=2)
    close = distance <= IMAGE_MAX_DISTANCE
    in_b = int(close.any(axis=1).sum())
    in_a = int(close.any(axis=0).sum())
    matched = min(in_a, in_b)
    return Overlap(
        resemblance=matched / (len(a) + len(b) - matched),
        containment_a=in_b / len(a),
        containment_b=in_a / len(b),
    )
