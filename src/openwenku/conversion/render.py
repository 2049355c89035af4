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
# Pages without colour and without much raster imagery (text, tables, line art)
# are stored as 2-bit palette PNG: four evenly spaced greys keep anti-aliased glyph
# edges sharp. Measured on the 803 pages of benchmarks/ingest.py (2-core machine):
# 10 ms and ~63 KB a page, against ~65 ms and ~69 KB for 8-grey lossless WebP and
# ~40 ms and ~140 KB for lossy WebP. Colour pages and pictures stay lossy WebP.
GRAY_LEVELS = 4
_STEP = 255 / (GRAY_LEVELS - 1)
_GRAY_INDEX = [round(v / _STEP) for v in range(256)]
_GRAY_PALETTE = [min(255, round(k * _STEP)) for k in range(GRAY_LEVELS) for _ in range(3)]
PNG_COMPRESS_LEVEL = 3
# A page whose raster images cover more than this share is a picture (a scan, a
# photo): posterised greys would spoil it, so it is encoded lossy.
PICTURE_COVERAGE = 0.2
# Width of the probe render that decides whether a page has colour.
PROBE_WIDTH = 160
# A pixel whose channels differ by less than this is grey (anti-aliasing and
# JPEG noise in a black-and-white scan stay under it).
COLOUR_SPREAD = 24


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
        coverage = _image_coverage(page, pt_w * pt_h)
        grey = not has_colour(page.render(scale=PROBE_WIDTH / pt_w, rev_byteorder=True).to_pil())
        # Grey pages are drawn by PDFium straight into 8-bit grey: a third of the
        # memory and no conversion afterwards.
        image = page.render(
            scale=scale, may_draw_forms=True, grayscale=grey, rev_byteorder=not grey
        ).to_pil()
        if image.mode not in ("L", "RGB"):
            image = image.convert("L" if grey else "RGB")
        name = encode_page(
            image,
            out,
            f"page-{index + 1:05d}",
            picture=coverage > PICTURE_COVERAGE,
            quality=quality,
            method=method,
        )
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
            "image_coverage": coverage,
        }
    finally:
        page.close()


def has_colour(image) -> bool:
    """True if any pixel of ``image`` (a small RGB or RGBA probe) is clearly coloured."""
    from PIL import ImageChops

    r, g, b = image.convert("RGB").split()
    # A single band's extrema are two ints (min, max); the largest difference counts.
    rg: tuple[int, int] = ImageChops.difference(r, g).getextrema()  # type: ignore[assignment]
    gb: tuple[int, int] = ImageChops.difference(g, b).getextrema()  # type: ignore[assignment]
    return max(rg[1], gb[1]) >= COLOUR_SPREAD


def encode_page(image, out: Path, stem: str, *, picture: bool, quality: int, method: int) -> str:
    """Write one page image into ``out``; return its file name.

    Grey text pages (mode ``L``, not a picture): 2-bit palette PNG. Everything
    else: lossy WebP (Pillow stores an ``L`` image as grey WebP).
    """
    from PIL import Image

    if image.mode == "L" and not picture:
        indexed = image.point(_GRAY_INDEX)
        palette_image = Image.frombytes("P", indexed.size, indexed.tobytes())
        palette_image.putpalette(_GRAY_PALETTE)
        name = f"{stem}.png"
        palette_image.save(out / name, "PNG", bits=2, compress_level=PNG_COMPRESS_LEVEL)
    else:
        name = f"{stem}.webp"
        image.save(out / name, "WEBP", quality=quality, method=method)
    return name


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
