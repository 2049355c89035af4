"""OCR for pages without a usable text layer, after the document is published.

Which pages: those whose text layer is (nearly) empty, extracts as garbage
(private-use or replacement characters, Latin-1 mojibake of CJK), or that are
mostly an image with little text. rapidocr's bundled PP-OCR models run offline
in a child process (``python -m openwenku.conversion.ocr PDF PAGES…``, driven
by ocr_pipeline.py through child.py) with its own memory limit and a deadline
per page; it prints one JSON line per page. OCR never delays the document
page: it starts after publication and only adds text.
"""

from __future__ import annotations

import json
import re
import sys

MIN_TEXT_CHARS = 20
OCR_WIDTH = 1800

_GARBAGE = re.compile(r"[\ue000-\uf8ff\ufffd\u0080-\u009f]")
_LATIN1_LETTERS = re.compile(r"[\u00c0-\u00ff]")


def needs_ocr(text: str, image_coverage: float) -> bool:
    stripped = "".join(text.split())
    if len(stripped) < MIN_TEXT_CHARS:
        return True
    garbage = len(_GARBAGE.findall(stripped)) / len(stripped)
    # CJK without a ToUnicode map often comes out as runs of accented Latin-1.
    mojibake = len(_LATIN1_LETTERS.findall(stripped)) / len(stripped)
    if garbage > 0.2 or mojibake > 0.4:
        return True
    # Text in pictures: a page with a large image and little text of its own.
    return image_coverage > 0.08 and len(stripped) < 500


def merge(pdf_text: str, ocr_text: str) -> str:
    """OCR text replaces a useless layer and adds lines a partial layer lacks."""
    if needs_ocr(pdf_text, 0.0):
        return ocr_text
    extra = [line for line in ocr_text.split("\n") if line and line not in pdf_text]
    return "\n".join([pdf_text, *extra]) if extra else pdf_text


def _lines(result) -> str:
    if not result or not getattr(result, "txts", None):
        return ""
    boxes = result.boxes
    items = sorted(zip(result.txts, boxes, strict=False), key=lambda t: (t[1][0][1], t[1][0][0]))
    lines: list[str] = []
    last_y = None
    for text, box in items:
        y = box[0][1]
        if last_y is not None and abs(y - last_y) < 12 and lines:
            lines[-1] += " " + text
        else:
            lines.append(text)
        last_y = y
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import numpy as np
    import pypdfium2 as pdfium
    from rapidocr import RapidOCR

    args = argv if argv is not None else sys.argv[1:]
    pdf_path, pages = args[0], [int(p) for p in args[1:]]
    import logging

    logging.disable(logging.INFO)
    engine = RapidOCR()
    pdf = pdfium.PdfDocument(pdf_path)
    for number in pages:
        page = pdf[number - 1]
        width, height = page.get_size()
        scale = min(OCR_WIDTH / width, 4000 / max(height, 1)) if width > 0 else 1
        image = page.render(scale=scale).to_pil().convert("RGB")
        page.close()
        text = _lines(engine(np.array(image)))
        sys.stdout.write(json.dumps({"page": number, "text": text}, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
