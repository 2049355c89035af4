"""Document page benchmark (run by hand): HTML size and time to the first page
image for 8-, 90- and 300-page documents, in Debian's chromium at 1366 px.

    .venv/bin/python benchmarks/reader.py [--runs 3] [--pages 8 90 300]
    flock /tmp/openwenku-bench.lock .venv/bin/python benchmarks/reader.py

Starts `openwenku serve` (one web process) on a fresh data folder, adds one free
public document per size (real 1240 x 1754 WebP page images with text drawn on
them, and page text), then for each loads the document page in a fresh browser
context and records: the HTML's size as sent (uncompressed bytes; of which the
description's page text; and gzipped), the page images in the HTML, and the
time from navigation start until the first page image has arrived (its Resource
Timing ``responseEnd``) and until the load event.
Prints medians; run it on two commits to compare.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.ops.serving import get, serving  # noqa: E402  (the checkout's root is on the path)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

FIRST_IMAGE = """() => {
  const img = document.querySelector('.pages img');
  if (!img || !img.complete || !img.naturalWidth) return null;
  const entry = performance.getEntriesByName(img.currentSrc || img.src)[0];
  const nav = performance.getEntriesByType('navigation')[0];
  return {image: entry ? entry.responseEnd : null, load: nav.loadEventEnd,
          imgs: document.querySelectorAll('.pages img').length};
}"""


def page_image() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(image)
    for row in range(60):
        draw.text((120, 120 + row * 25), "Lorem ipsum dolor sit amet " * 4, fill=40)
    buf = io.BytesIO()
    image.save(buf, "WEBP", quality=60)
    return buf.getvalue()


def seed(sizes: list[int]) -> dict[int, int]:
    """One ready, free document per size; returns {pages: document id}."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile

    from openwenku.documents.models import Document, DocumentPage

    owner = get_user_model().objects.create_user(username="bench", password="bench-Passw0rd")
    image = page_image()
    text = "核电厂定期安全审查指南，总则与适用范围。" * 15
    ids = {}
    for n in sizes:
        doc = Document(
            owner=owner,
            title=f"{n} 页的文档",
            original_name=f"{n}.pdf",
            size=1000,
            sha256=f"{n:064x}",
            format="pdf",
            status="ready",
            page_count=n,
            pages_ready=n,
            price=0,
        )
        doc.original.save("original", ContentFile(b"%PDF-1.4\n"), save=False)
        doc.save()
        for number in range(1, n + 1):
            page = DocumentPage(
                document=doc, number=number, width=1240, height=1754, text=f"{number} {text}"
            )
            page.image.save(f"{number}.webp", ContentFile(image), save=False)
            page.save()
        ids[n] = doc.pk
    return ids


def measure(url: str, runs: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    status, body = get(url)
    assert status == 200, status
    results: dict[str, list[float]] = {"image": [], "load": [], "imgs": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
            page = context.new_page()
            page.goto(url, wait_until="load")
            figures = None
            for _ in range(600):
                figures = page.evaluate(FIRST_IMAGE)
                if figures and figures["image"] and figures["load"]:
                    break
                page.wait_for_timeout(50)
            assert figures, "no page image"
            for key in results:
                results[key].append(figures[key])
            context.close()
        browser.close()
    text = re.search(rb'<section class="description">.*?</section>', body, re.S)
    return {
        "html_bytes": len(body),
        "gzip_bytes": len(gzip.compress(body)),
        "text_bytes": len(text.group(0)) if text else 0,
        **{key: statistics.median(values) for key, values in results.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, nargs="+", default=[8, 90, 300])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with serving(data) as base:
            os.environ["OPENWENKU_DATA_DIR"] = str(data)
            os.environ.pop("OPENWENKU_SECRET_KEY", None)
            os.environ.pop("DATABASE_URL", None)
            ids = seed(args.pages)
            print("pages  html_bytes  (text part)  gzipped  imgs_in_html  first_image_ms  load_ms")
            for n in args.pages:
                r = measure(f"{base}/doc/{ids[n]}.html", args.runs)
                print(
                    f"{n:5d}  {r['html_bytes']:10d}  {r['text_bytes']:11d}  {r['gzip_bytes']:7d}  "
                    f"{r['imgs']:12.0f}  "
                    f"{r['image']:14.0f}  {r['load']:7.0f}"
                )


if __name__ == "__main__":
    main()
