"""The sensitive-word matcher: one Aho-Corasick automaton per process, rebuilt
when the word list's version (a counter in the database, bumped by every
change) differs from the one it was built from, so every worker follows.

Words and texts go through :func:`.normalize.normalize`; the automaton runs
over the normalised text's UTF-8 bytes (read as Latin-1 characters):
pyahocorasick looks a node's children up one by one, so a small alphabet
(bytes) is several times faster than thousands of Chinese characters at the
root. UTF-8 is self-synchronising: a word's bytes never match in the middle
of a character.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

import ahocorasick

from .normalize import context, normalize, offsets


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
        automaton = ahocorasick.Automaton()
        for entry in entries:
            if entry.word:
                key = _bytes(entry.word)
                automaton.add_word(key, (len(key), entry))
                self.size += 1
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
        """How many words occur in ``text`` (normalised here): the fast path."""
        return sum(1 for _ in self.scan_normalised(normalize(text)))

    def find(self, text: str, *, radius: int = 20) -> list[Match]:
        """Every word in ``text``, mapped back to the original text."""
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
