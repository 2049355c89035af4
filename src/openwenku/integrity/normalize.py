"""Text normalisation for the content checks, with a map back to the original.

PRIVATE STAND-IN, to be replaced by ``openwenku.similarity.normalize.normalize``
once the similarity branch lands (same behaviour: NFKC, so full-width letters
and digits become half-width; traditional → simplified (OpenCC t2s);
lowercase; whitespace and punctuation removed). It is kept for the matchers
even then if similarity's normaliser is not character-by-character: the
sensitive-word and contact checks need every normalised character's position
in the ORIGINAL text (to show ±20 characters of context), so here each
character is normalised on its own through a ``str.translate`` table built
once per process (OpenCC's character table, not its phrase table; the word
list goes through the same function, so both sides agree).

Two strengths:

- :func:`normalize` ("full"): also drops whitespace, punctuation and symbols,
  so ``敏 感 词``, ``敏.感.词``, ``ｗｅｉｘｉｎ`` and ``敏感詞`` all become ``敏感词``.
- :func:`fold` ("light"): NFKC, lowercase, traditional → simplified only;
  punctuation stays (e-mail addresses and URLs need ``@`` and ``.``).
"""

from __future__ import annotations

import threading
import unicodedata
from typing import Any

_lock = threading.Lock()
_tables: dict[str, tuple[list[str | None], dict[int, str | int]]] = {}

# Unicode categories removed by the full normalisation: punctuation, separators
# (spaces), symbols, control and format characters (zero-width joiners …).
_DROP = ("P", "Z", "S", "C")


def _t2s_table() -> dict[str, str]:
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = [chr(c) for c in range(0x2E80, 0xA000)]
    chars += [chr(c) for c in range(0xF900, 0xFB00)]
    converted = converter.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC merged a line
        converted = [converter.convert(c) for c in chars]
    return {a: b for a, b in zip(chars, converted, strict=True) if a != b}


def _build(strength: str) -> list[str | None]:
    """Per BMP code point: its normalised form, or None when it stays as it is."""
    t2s = _t2s_table()
    table: list[str | None] = [None] * 0x10000
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        out = []
        for part in unicodedata.normalize("NFKC", char).lower():
            part = t2s.get(part, part)
            if strength == "full" and unicodedata.category(part)[0] in _DROP:
                continue
            out.append(part)
        value = "".join(out)
        if value != char:
            table[code] = value
    return table


def _tables_for(strength: str) -> tuple[list[str | None], dict[int, str | int]]:
    """(per code point list, ``str.translate`` table).

    The translate table holds every BMP code point, unchanged ones mapped to
    themselves: a missing key costs an exception inside ``translate``, which
    halves its speed (astral characters are rare and kept as they are).
    """
    tables = _tables.get(strength)
    if tables is None:
        with _lock:
            tables = _tables.get(strength)
            if tables is None:
                values = _build(strength)
                translate: dict[int, str | int] = {
                    code: (code if value is None else value) for code, value in enumerate(values)
                }
                tables = (values, translate)
                _tables[strength] = tables
    return tables


def normalize(text: str) -> str:
    """Full normalisation (see the module doc): what words are matched on."""
    return text.translate(_tables_for("full")[1])


def fold(text: str) -> str:
    """Light normalisation: NFKC, lowercase, simplified; punctuation kept."""
    return text.translate(_tables_for("light")[1])


def offsets(text: str, strength: str = "full") -> list[int]:
    """For each character of the normalised ``text``, its index in ``text``.

    ``normalize(text)[i]`` came from ``text[offsets(text)[i]]``.
    """
    table = _tables_for(strength)[0]
    result: list[int] = []
    for index, char in enumerate(text):
        code = ord(char)
        value = table[code] if code < 0x10000 else None
        if value is None:
            result.append(index)
        elif value:
            result.extend([index] * len(value))
    return result


def context(text: str, first: int, last: int, radius: int = 20) -> str:
    """±``radius`` characters of ``text`` around ``first:last``, one line."""
    before = text[max(0, first - radius) : first]
    after = text[last : last + radius]
    return " ".join(f"{before}{text[first:last]}{after}".split())


_units: Any = None


def unit_table() -> Any:
    """:func:`normalize` as a numpy table over UTF-16 code units, for speed:
    entry = the normalised unit, 0 = dropped, ``EXPANDS`` = the character becomes
    several (or an astral) character(s): such text takes the ``str`` path."""
    global _units
    if _units is None:
        import numpy as np

        values = _tables_for("full")[0]
        table = np.arange(0x10000, dtype=np.uint16)
        for code, value in enumerate(values):
            if value is None:
                continue
            if value == "":
                table[code] = 0
            elif len(value) == 1 and _plain_unit(ord(value)):
                table[code] = ord(value)
            else:
                table[code] = EXPANDS
        table[0] = 0
        table[EXPANDS] = EXPANDS
        _units = table
    return _units


EXPANDS = 0xFFFF


def _plain_unit(code: int) -> bool:
    return code < 0x10000 and not 0xD800 <= code < 0xE000 and code != EXPANDS
