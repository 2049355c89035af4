"""Normalise text extracted from a PDF page.

PDF text comes with a line break at every visual line end and, from some
producers, spaces between CJK characters. Readers and search want sentences:
no breaks or spaces inside Chinese text, one space between Latin words, and
paragraph breaks kept where the text really had an empty line.
"""

from __future__ import annotations

import re
import unicodedata

# CJK ideographs, kana, hangul, CJK punctuation and full-width forms.
_CJK = (
    "\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3200-\u4dbf"
    "\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
)
# Spaces between two CJK characters, and a line break touching CJK on either side.
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")
_GAP = r"[ \t\u00a0\u3000]*"
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}]){_GAP}\n{_GAP}|{_GAP}\n{_GAP}(?=[{_CJK}])")
_LATIN_HYPHEN_BREAK = re.compile(r"(?<=[A-Za-z])-\n(?=[a-z])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ufffd]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalise(text: str) -> str:
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    text = _CONTROL.sub("", text)
    # Paragraphs: keep real blank lines as one paragraph separator.
    paragraphs = _BLANK_LINES.split(text)
    cleaned = []
    for para in paragraphs:
        para = _LATIN_HYPHEN_BREAK.sub("", para)
        para = _CJK_BREAK.sub("", para)
        para = _CJK_SPACE.sub("", para)
        para = para.replace("\n", " ")
        para = _SPACES.sub(" ", para).strip()
        if para:
            cleaned.append(para)
    return "\n".join(cleaned)
