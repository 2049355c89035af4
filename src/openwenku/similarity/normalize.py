"""Text normalisation for comparing documents (and for word lists).

``normalize(text)``: NFKC (full-width → half-width), lower case, traditional →
simplified (OpenCC ``t2s``), and every whitespace, punctuation, symbol and
control character removed (Unicode categories Z*, P*, S*, C*). What remains is
letters, digits and marks, so two texts that differ only in layout, width,
script variant or punctuation normalise to the same string.

Fast: one ``str.translate`` table, filled in as characters are met (a character
is looked up once per process), and OpenCC loaded once and only run on text
that has Han characters.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from typing import Any

_DROP = frozenset("PZSC")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


class _Table(dict[int, Any]):
    """``str.translate`` table: a character to its NFKC lower-case form without
    the dropped categories (None: removed)."""

    def __missing__(self, code: int) -> str | None:
        out = "".join(
            part
            for part in unicodedata.normalize("NFKC", chr(code)).lower()
            if unicodedata.category(part)[0] not in _DROP
        )
        value = out or None
        self[code] = value
        return value


_TABLE = _Table()
_lock = threading.Lock()
_converter: Any = None


def _t2s() -> Any:
    global _converter
    if _converter is None:
        with _lock:
            if _converter is None:
                import opencc

                _converter = opencc.OpenCC("t2s")
    return _converter


def normalize(text: str) -> str:
    """``text`` reduced to lower-case, half-width, simplified letters and digits."""
    if not text:
        return ""
    text = text.translate(_TABLE)
    if not text.isascii() and _HAN.search(text):
        text = _t2s().convert(text)
    return text
