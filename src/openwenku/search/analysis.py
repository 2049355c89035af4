"""Text analysis shared by indexing and querying: normalisation and Chinese segmentation.

Both backends store and look up the tokens produced here, never their own parser's,
so SQLite FTS5 and PostgreSQL see the same words for the same text.

* Normalisation: NFKC (full-width → half-width), case folding, traditional →
  simplified (OpenCC ``t2s``).
* Han runs are segmented with jieba. Indexing uses search mode (``核电厂`` also
  yields ``核电``, ``电厂``) plus every character of a longer word, so that a
  one-character query finds the character inside words. Queries use the precise
  mode, so ``东京都`` asks for the word 东京都 and does not match 东京和京都.
* Latin, Cyrillic, digits: words, with compounds kept whole (``c++``, ``gb/t``,
  ``7714-2015``, ``3.14``) and, when indexing, their parts too. A number directly
  followed by a unit character (``2024年``, ``第3章`` → ``3章``) is also one token.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

# Characters that may sit inside a token besides letters and digits; the SQLite
# tokenizer is told the same set (see backends.sqlite.TOKENIZE).
TOKEN_INNER_CHARS = "+#./-_&"  # noqa: S105  (not a secret)

_HAN = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
_KANA_HANGUL = "\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af"
_ASIAN = _HAN + _KANA_HANGUL
# A "word" character: a letter, digit or combining mark that is not Han/kana/hangul.
_WORD_CHAR = rf"(?:(?![{_ASIAN}])[^\W_]|[\u0300-\u036f\u0900-\u0dff\u0e00-\u0eff])"
_WORD = rf"{_WORD_CHAR}+(?:[+#]+(?!{_WORD_CHAR}))?"
_COMPOUND = rf"{_WORD}(?:[./\-_&]{_WORD})*"
_SEGMENT = re.compile(rf"(?P<han>[{_ASIAN}]+)|(?P<word>{_COMPOUND})")
_PARTS = re.compile(rf"{_WORD_CHAR}+")
_DIGITS = re.compile(r"[0-9][0-9.]*")
# Units that form one token with a number written right before them.
_UNITS = set("年月日号期届次个元页章节条款部分级版岁天周")
_SPACE = re.compile(r"\s+")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_jieba_lock = threading.Lock()
_jieba = None
_opencc = None


def _segmenter():
    """jieba, loaded once per process (about a second, so only when first needed)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _jieba = jieba
    return _jieba


def warm_up() -> None:
    """Load jieba's dictionary and its IDF table now (~1.5 s), e.g. when a worker
    starts, rather than in the middle of the first document it indexes."""
    _segmenter()
    _tfidf()
    _converter()


def is_warm() -> bool:
    """Whether this process has jieba's dictionary and OpenCC loaded already."""
    return _jieba is not None and _opencc is not None


def _converter():
    global _opencc
    if _opencc is None:
        import opencc

        _opencc = opencc.OpenCC("t2s")
    return _opencc


class _NfkcChars(dict):
    """A ``str.translate`` table: every character to its own NFKC form."""

    def __missing__(self, code: int) -> str:
        value = unicodedata.normalize("NFKC", chr(code))
        self[code] = value
        return value


_NFKC_CHARS = _NfkcChars()


def _nfkc_casefold(text: str) -> str:
    """``unicodedata.normalize("NFKC", text).casefold()``, the same result, faster.

    Replacing characters by their own NFKC forms leaves the string's NFKC form as it
    was (both decompose alike); what remains is nearly always normalised already
    (checked quickly), and only otherwise normalised as a whole.
    """
    if text.isascii():
        return text.lower()
    text = text.translate(_NFKC_CHARS)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.casefold()


class _AlignedFold(dict):
    """A ``str.translate`` table: a character's NFKC fold when that is one character,
    else the character in lower case (filled in as characters are met)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        folded = unicodedata.normalize("NFKC", ch).casefold()
        value = folded if len(folded) == 1 else ch.lower()
        self[code] = value
        return value


_ALIGNED_FOLD = _AlignedFold()


def normalize(text: str) -> str:
    """Full-width → half-width, case folded, simplified, control characters removed."""
    if not text:
        return ""
    text = _CONTROL.sub(" ", text.replace("\x00", " "))
    text = _nfkc_casefold(text)
    if _HAN_CHAR.search(text):
        text = _converter().convert(text)
    return text


def normalize_aligned(text: str) -> str:
    """Like normalize(), but character for character, so offsets match the original.

    Used to find query words in page text and cut snippets from the original.
    """
    if not text:
        return ""
    folded = _nfkc_casefold(text)
    if len(folded) != len(text):  # some character expanded: map one by one
        folded = text.translate(_ALIGNED_FOLD)
    if _HAN_CHAR.search(folded):
        simplified = _converter().convert(folded)
        if len(simplified) == len(folded):
            folded = simplified
    return folded


def collapse_spaces(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_SPACE_IN_HAN = re.compile(rf"(?<=[{_ASIAN}])\s+(?=[{_ASIAN}])")


def compact(text: str) -> str:
    """Normalised text for phrase matching: spaces collapsed, none between Chinese
    characters (extracted text breaks lines in the middle of Chinese words)."""
    return _SPACE_IN_HAN.sub("", collapse_spaces(normalize(text)))


def _han_tokens(run: str, *, for_index: bool) -> Iterator[str]:
    jieba = _segmenter()
    if not for_index:
        yield from (w for w in jieba.cut(run, HMM=True) if w.strip())
        return
    for word in jieba.cut(run, HMM=True):
        if not word.strip():
            continue
        if len(word) > 1:
            # Search mode's dictionary sub-words, then each character.
            for size in (2, 3):
                for i in range(len(word) - size + 1):
                    gram = word[i : i + size]
                    if gram != word and gram in jieba.dt.FREQ and jieba.dt.FREQ[gram]:
                        yield gram
            yield from word
        yield word


def _word_tokens(word: str, *, for_index: bool) -> Iterator[str]:
    yield word
    if for_index:
        parts = _PARTS.findall(word)
        if len(parts) > 1 or (parts and parts[0] != word):
            yield from parts


def tokens(text: str, *, for_index: bool = True, normalized: bool = False) -> list[str]:
    """The tokens of ``text``: search-mode for the index, precise for a query."""
    if not normalized:
        text = normalize(text)
    out: list[str] = []
    last_end, last_word = -1, ""
    for match in _SEGMENT.finditer(text):
        if match.lastgroup == "han":
            run = match.group()
            # "2024年": a number right before a unit character is one token as well.
            if last_end == match.start() and _DIGITS.fullmatch(last_word) and run[0] in _UNITS:
                joined = last_word + run[0]
                if for_index:
                    out.append(joined)
                elif out and out[-1] == last_word:
                    out[-1] = joined
                    run = run[1:]
            if run:
                out.extend(_han_tokens(run, for_index=for_index))
        else:
            word = match.group()
            out.extend(_word_tokens(word, for_index=for_index))
            last_word = word
        last_end = match.end()
    return out


def index_text(parts: Iterable[str]) -> str:
    """The space-separated tokens stored in an index column."""
    return " ".join(t for part in parts if part for t in tokens(part))


@lru_cache(maxsize=1)
def _tfidf():
    import jieba.analyse

    _segmenter()
    return jieba.analyse.TFIDF()


def keywords(text: str, limit: int = 12) -> list[str]:
    """The text's most characteristic words (jieba's TF-IDF), normalised."""
    text = normalize(text)
    if not text.strip():
        return []
    extractor = _tfidf()
    with _jieba_lock:
        words = extractor.extract_tags(text, topK=limit * 2)
    out = []
    for w in words:
        w = w.strip()
        if len(w) < 2 or w.isdigit() or w in out:
            continue
        out.append(w)
        if len(out) == limit:
            break
    return out
