"""The sensitive-word matcher: one Aho-Corasick automaton per process, rebuilt
when the word list's version (a counter in the database, bumped by every
change) differs from the one it was built from, so every worker follows.

Words and texts go through :func:`.normalize.normalize`; the automaton runs
over the normalised text's UTF-8 bytes (read as Latin-1 characters):
pyahocorasick looks a node's children up one by one, so a small alphabet
(bytes) is several times faster than thousands of Chinese characters at the
root. UTF-8 is self-synchronising: a word's bytes never match in the middle
of a character.

A vectorised pre-screen keeps the automaton off text that cannot hold a
word: the text is normalised as a numpy array of UTF-16 units (the same
table), and each pair of neighbouring units is looked up in a bitmap of the
words' first two units (single-unit words: a bitmap of units). The automaton
then runs only from the candidate positions (at most the longest word's
length). The bitmap is hashed, so it may let text through, never the reverse.
Text the array path cannot represent (a character that normalises to several,
astral characters) takes the plain path.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick
import numpy as np

from .normalize import EXPANDS, context, normalize, offsets, unit_table

_HASH_BITS = 22
_HASH_MUL = np.uint32(2654435761)


@dataclass(frozen=True)
class Entry:
    word: str  # normalised
    category: str
    action: str  # info | hold | reject


@dataclass(frozen=True)
class Match:
    entry: Entry
    start: int  # span in the ORIGINAL text
    end: int
    excerpt: str  # the original text that matched
    context: str  # ±20 characters of the original text


def _bytes(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


class Matcher:
    def __init__(self, entries: list[Entry]) -> None:
        self.size = 0
        self._automaton: ahocorasick.Automaton | None = None
        self._pairs = np.zeros(1 << _HASH_BITS, dtype=np.bool_)
        self._singles = np.zeros(0x10000, dtype=np.bool_)
        self._longest = 0
        automaton = ahocorasick.Automaton()
        for entry in entries:
            if entry.word:
                key = _bytes(entry.word)
                automaton.add_word(key, (len(key), entry))
                self.size += 1
                self._longest = max(self._longest, len(entry.word))
                # In UTF-16 units (an astral character is two): the text's units too.
                units = np.frombuffer(entry.word.encode("utf-16-le"), dtype=np.uint16)
                if len(units) == 1:
                    self._singles[units[0]] = True
                else:
                    self._pairs[_pair_hash(units)[0]] = True
        if self.size:
            automaton.make_automaton()
            self._automaton = automaton

    def scan_normalised(self, normalised: str) -> Iterator[tuple[int, int, Entry]]:
        """(start, end, entry) byte spans of words in already-normalised text."""
        if self._automaton is None or not normalised:
            return
        for end, (length, entry) in self._automaton.iter(_bytes(normalised)):
            yield end - length + 1, end + 1, entry

    def count(self, text: str) -> int:
        """How many words occur in ``text``: the fast path (pre-screen, then the
        automaton from each candidate position)."""
        if self._automaton is None or not text:
            return 0
        units = self._units(text)
        if units is None:
            return sum(1 for _ in self.scan_normalised(normalize(text)))
        candidates = np.flatnonzero(self._pairs[_pair_hash(units)])
        singles = np.flatnonzero(self._singles[units])
        if not len(candidates) and not len(singles):
            return 0
        normalised = units.tobytes().decode("utf-16-le")
        found = 0
        # Candidates closer than the longest word share one run of the automaton.
        starts = np.union1d(candidates, singles)
        breaks = np.flatnonzero(np.diff(starts) >= self._longest) + 1
        for first, last in zip(
            starts[np.r_[0, breaks]].tolist(), starts[np.r_[breaks - 1, -1]].tolist(), strict=True
        ):
            window = normalised[first : last + self._longest]
            # A word starts at a candidate position, so those starting up to the
            # last candidate are this run's (scan_normalised gives UTF-8 offsets).
            limit = len(window[: last - first + 1].encode("utf-8"))
            found += sum(1 for s, _e, _entry in self.scan_normalised(window) if s < limit)
        return found

    def _units(self, text: str) -> np.ndarray | None:
        """``normalize(text)`` as UTF-16 units, or None if it needs the str path
        (an astral character: unit and character positions would differ)."""
        raw = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        units = unit_table()[raw]
        if len(raw) != len(text) or (units == EXPANDS).any():
            return None
        return units[units != 0]

    def find(self, text: str, *, radius: int = 20) -> list[Match]:
        """Every word in ``text``, mapped back to the original text."""
        if not self.count(text):  # the fast path first: most text has no word
            return []
        normalised = normalize(text)
        spans = list(self.scan_normalised(normalised))
        if not spans:
            return []
        # Byte offsets → normalised characters → original characters (only for
        # texts with a hit, so the slow Python loop is rare).
        byte_starts = [0, *accumulate(len(c.encode("utf-8")) for c in normalised)]
        char_of_byte = {b: i for i, b in enumerate(byte_starts)}
        starts = offsets(text)
        matches = []
        for start_byte, end_byte, entry in spans:
            first_char, last_char = char_of_byte[start_byte], char_of_byte[end_byte]
            first, last = starts[first_char], starts[last_char - 1] + 1
            matches.append(
                Match(
                    entry=entry,
                    start=first,
                    end=last,
                    excerpt=text[first:last],
                    context=context(text, first, last, radius),
                )
            )
        return matches


def _pair_hash(units: np.ndarray) -> np.ndarray:
    """A hash of each pair of neighbouring units (``len(units) - 1`` of them)."""
    pairs = (units[:-1].astype(np.uint32) << 16) | units[1:]
    return (pairs * _HASH_MUL) >> np.uint32(32 - _HASH_BITS)


_lock = threading.Lock()
_cached: tuple[int, Matcher] | None = None


def current_version() -> int:
    from .models import WordListVersion

    return WordListVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def matcher() -> Matcher:
    """The matcher for the current word list (built once per version per process)."""
    global _cached
    version = current_version()
    cached = _cached
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
        from .models import SensitiveWord

        rows = SensitiveWord.objects.values_list("word", "category__name", "category__action")
        built = Matcher([Entry(w, c, a) for w, c, a in rows])
        _cached = (version, built)
        return built
