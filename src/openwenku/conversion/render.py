"""PDF pages to WebP images and text, in a child process.

Run as ``python -m openwenku.conversion.render PDF OUTDIR [options]``. It prints
one JSON object per line: first ``{"pages": N}``, then one per rendered page,
so the parent sees progress, can publish early pages, and knows exactly which
page a crash or hang happened on. PDFium is C code parsing foreign files:
keeping it out of the worker process means a pixel bomb or an infinite loop
costs one child, never the worker.

No Django here: this module must start fast and import little.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Cap on the rendered height relative to the width: a 1:1000 strip page would
# otherwise ask for a bitmap of a million pixels per column.
MAX_ASPECT = 20
# Grey levels kept for pages without colour: enough for anti-aliased text. Evenly
# spaced levels by a lookup table cost ~2 ms; median-cut quantize() cost ~90 ms a page.
GRAY_LEVELS = 8
_STEP = 255 / (GRAY_LEVELS - 1)
_GRAY_LUT = [min(255, round(round(v / _STEP) * _STEP)) for v in range(256)]


def _emit(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _open(pdf_path: str):
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(pdf_path)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == raw.FPDF_ERR_PASSWORD:
            _emit({"error": "password"})
        elif code == raw.FPDF_ERR_SECURITY:
            _emit({"error": "security"})
        else:
            _emit({"error": "format"})
        sys.exit(0)


def render_page(
    pdf, index: int, out: Path, *, width: int, quality: int, method: int, thumb_width: int
) -> dict:
    page = pdf[index]
    try:
        pt_w, pt_h = page.get_size()
        if pt_w <= 0 or pt_h <= 0:
            raise ValueError("empty page box")
        scale = width / pt_w
        max_h = width * MAX_ASPECT
        if pt_h * scale > max_h:
            scale = max_h / pt_h
        bitmap = page.render(scale=scale, may_draw_forms=True)
        image = bitmap.to_pil().convert("RGB")
        name = f"page-{index + 1:05d}.webp"
        encode_page(image, out / name, quality=quality, method=method)
        if index == 0 and thumb_width:  # the cover comes from whichever child draws page 1
            thumb = image.copy()
            thumb.thumbnail((thumb_width, thumb_width * MAX_ASPECT))
            thumb.save(out / "cover.webp", "WEBP", quality=80, method=method)
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded(errors="replace")
        finally:
            textpage.close()
        return {
            "page": index + 1,
            "file": name,
            "width": image.width,
            "height": image.height,
            "text": text,
            "image_coverage": _image_coverage(page, pt_w * pt_h),
        }
    finally:
        page.close()


def is_grayscale(image) -> bool:
    """True for pages without colour (most text pages), judged on a small copy."""
    from PIL import Image, ImageChops

    size = (160, max(1, int(160 * image.height / max(image.width, 1))))
    small = image.resize(size, Image.Resampling.BOX)
    r, g, b = small.split()
    spread = max(
        ImageChops.difference(r, g).getextrema()[1], ImageChops.difference(g, b).getextrema()[1]
    )
    return spread < 24


def encode_page(image, path: Path, *, quality: int, method: int) -> None:
    """Grey pages: 8 evenly spaced grey levels, lossless WebP — sharp glyph edges and
    ~45% fewer bytes than lossy q75 on dense text, for ~1.4x its encoding time
    (benchmarks/ingest.py). Colour pages: lossy WebP."""
    if is_grayscale(image):
        image.convert("L").point(_GRAY_LUT).save(path, "WEBP", lossless=True, quality=25, method=1)
    else:
        image.save(path, "WEBP", quality=quality, method=method)


def _image_coverage(page, area: float) -> float:
    """Share of the page covered by images (a scan covers ~all of it)."""
    import pypdfium2.raw as raw

    covered = 0.0
    try:
        for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
            left, bottom, right, top = obj.get_bounds()
            covered += max(0.0, right - left) * max(0.0, top - bottom)
    except Exception:
        return 0.0
    return round(min(1.0, covered / area), 3) if area > 0 else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("pdf")
    parser.add_argument("outdir")
    parser.add_argument("--start", type=int, default=1, help="first page to render (1-based)")
    parser.add_argument("--step", type=int, default=1, help="render every STEP-th page")
    parser.add_argument("--width", type=int, default=1200)
    parser.add_argument("--thumb-width", type=int, default=240)
    parser.add_argument("--quality", type=int, default=80)
    parser.add_argument("--method", type=int, default=4)
    parser.add_argument("--max-pages", type=int, default=2000)
    args = parser.parse_args(argv)

    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    pdf = _open(args.pdf)
    total = len(pdf)
    _emit({"pages": total})
    if total <= 0 or total > args.max_pages:
        return
    for index in range(args.start - 1, total, max(1, args.step)):
        try:
            result = render_page(
                pdf,
                index,
                out,
                width=args.width,
                quality=args.quality,
                method=args.method,
                thumb_width=args.thumb_width,
            )
        except Exception as exc:
            result = {"page": index + 1, "failed": f"{type(exc).__name__}: {exc}"[:300]}
        _emit(result)
    pdf.close()


if __name__ == "__main__":
    main()
