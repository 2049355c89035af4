"""Parsing what a reader typed into a safe, backend-neutral query.

Nothing the reader types reaches a backend's query language: words become
tokens (see analysis), tokens are quoted by the backend, and the only operators
are the ones understood here:

* several words: all of them (``核电 安全``);
* ``"…"`` (or “…” / 「…」): the words as a phrase, matched as written;
* ``-word``: without that word;
* ``OR`` between words: either.

Quotes left open, a lone ``-``, ``*``, ``:``, brackets, emoji, NUL bytes or very
long input are tolerated: they are dropped or treated as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import analysis

MAX_QUERY_CHARS = 100
MAX_TERMS = 24

_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})
_CHUNK = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class Alternative:
    """Tokens that must all occur, and (for a phrase) the text that must occur as written."""

    tokens: tuple[str, ...]
    phrase: str = ""


@dataclass
class ParsedQuery:
    text: str  # the cleaned query as shown back to the reader and logged
    # All groups must match; a group matches when any of its alternatives does.
    groups: list[tuple[Alternative, ...]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)
    # The words typed, as one normalised phrase (no operators, nothing excluded):
    # ranking puts documents with it in the title, then in the public text, first.
    # Empty when the query has OR (no single phrase was meant).
    ranking_phrase: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def phrases(self) -> list[str]:
        return [a.phrase for g in self.groups if len(g) == 1 for a in g if a.phrase]

    @property
    def highlight_terms(self) -> list[str]:
        """Words to mark in titles and snippets, longest first."""
        terms = {a.phrase for g in self.groups for a in g if a.phrase}
        terms |= {t for g in self.groups for a in g for t in a.tokens}
        return sorted(terms, key=lambda t: (-len(t), t))

    @property
    def positive_tokens(self) -> list[str]:
        seen: list[str] = []
        for g in self.groups:
            for a in g:
                for t in a.tokens:
                    if t not in seen:
                        seen.append(t)
        return seen

    def any_of(self) -> ParsedQuery:
        """The same words, any of them (used when all of them find nothing)."""
        # Single characters (的, 和, a) would match nearly everything on their own.
        words = [t for t in self.positive_tokens if len(t) > 1] or self.positive_tokens
        alternatives = [Alternative(tokens=(t,)) for t in words]
        return ParsedQuery(
            text=self.text,
            groups=[tuple(alternatives)] if alternatives else [],
            excluded=self.excluded,
            ranking_phrase=self.ranking_phrase,
        )


def clean(raw: str | None) -> str:
    """The query as text: no control characters, spaces collapsed, length capped."""
    raw = (raw or "").replace("\x00", " ")
    raw = "".join(ch if ch.isprintable() else " " for ch in raw[: MAX_QUERY_CHARS * 4])
    return analysis.collapse_spaces(raw)[:MAX_QUERY_CHARS]


def parse(raw: str | None) -> ParsedQuery:
    text = clean(raw)
    parsed = ParsedQuery(text=text)
    pending_or = False
    any_or = False
    sources: list[str] = []
    count = 0
    for match in _CHUNK.finditer(text.translate(_QUOTES)):
        quoted, word = match.group(1), match.group(2)
        if word == "OR":
            pending_or = bool(parsed.groups)
            any_or = any_or or pending_or
            continue
        negative = False
        if word is not None and word.startswith("-") and len(word) > 1:
            negative, word = True, word[1:]
        source = quoted if quoted is not None else word
        toks = tuple(dict.fromkeys(analysis.tokens(source or "", for_index=False)))
        if not toks:
            continue
        count += len(toks)
        if count > MAX_TERMS:
            break
        if negative:
            parsed.excluded.append(toks)
            continue
        sources.append(source or "")
        phrase = ""
        if quoted is not None and len(toks) > 1:
            phrase = analysis.compact(quoted)
        alternative = Alternative(tokens=toks, phrase=phrase)
        if pending_or and parsed.groups:
            parsed.groups[-1] = (*parsed.groups[-1], alternative)
        elif quoted is None and len(toks) > 1:
            # "核电厂安全" typed as one word: all its words, not a phrase.
            parsed.groups.extend((Alternative(tokens=(t,)),) for t in toks)
        else:
            parsed.groups.append((alternative,))
        pending_or = False
    if not any_or and parsed.groups:
        parsed.ranking_phrase = analysis.compact(" ".join(sources))
    return parsed
