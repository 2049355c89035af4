#!/usr/bin/env python
"""Ingest benchmark: OpenWenku's pipeline against the cold-soffice + pdftoppm baseline.

Run by hand (not in CI), from the project root:

    .venv/bin/python benchmarks/ingest.py [--files 40] [--workers N] [--skip-baseline]

In one run, over a fixed set of the corpus's convertible office documents and
PDFs:

1. page-image encoders: bytes and milliseconds per 1200 px page for WebP, JPEG
   and PNG at several settings, on pages of the set; sample images are written
   to benchmarks/out/ to look at;
2. baseline: one cold ``soffice --headless --convert-to pdf`` per file (fresh
   profile), then ``pdftoppm -png -r 100`` for every page — what moredoc and
   DocHub do;
3. OpenWenku: documents already stored, ``openwenku worker`` processes convert
   them (warm LibreOffice, parallel rendering) until every page and its text
   are stored;
4. time to first page visible for a 10-page DOCX on a warm worker.

It prints documents/s, pages/s, median and p95 time to first page, bytes per
page, peak RSS, and the ratios.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.shared import CORPUS  # noqa: E402  (the checkout's root is on the path now)

OUT = ROOT / "benchmarks" / "out"
OFFICE = {"doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "odp", "ods", "rtf"}


def pick_files(n: int) -> list[Path]:
    """A fixed, mixed set: office files first (what LibreOffice costs), then PDFs."""
    with open(CORPUS / "MANIFEST.tsv", encoding="utf-8") as fh:
        rows = [
            r
            for r in csv.DictReader(fh, delimiter="\t")
            if r["expected"] in ("ok", "cjk") and int(r["bytes"]) < 3_000_000
        ]
    office = sorted((r for r in rows if r["kind"] in OFFICE), key=lambda r: r["local_path"])
    pdfs = sorted((r for r in rows if r["kind"] == "pdf"), key=lambda r: r["local_path"])
    chosen = office[: int(n * 0.75)]
    chosen += pdfs[: n - len(chosen)]
    return [CORPUS / r["local_path"] for r in chosen]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class RssSampler:
    """Peak resident memory of a process tree, sampled from /proc."""

    def __init__(self, root_pid: int):
        self.root = root_pid
        self.peak = 0

    def _children(self) -> dict[int, list[int]]:
        tree: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                tree.setdefault(ppid, []).append(int(entry.name))
        return tree

    def sample(self) -> None:
        tree, total, stack = self._children(), 0, [self.root]
        while stack:
            pid = stack.pop()
            stack += tree.get(pid, [])
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            except OSError:
                pass
        self.peak = max(self.peak, total)


def encode_chosen(image, fh, *, quality: int, method: int, picture: bool = False) -> None:
    """What the renderer does: grey pages as 4-grey palette PNG, others lossy WebP."""
    from openwenku.conversion.render import encode_page, has_colour

    small = image.copy()
    small.thumbnail((160, 160 * 20))
    if not has_colour(small):
        image = image.convert("L")
    with tempfile.TemporaryDirectory() as tmp:
        name = encode_page(
            image, Path(tmp), "page", picture=picture, quality=quality, method=method
        )
        fh.write((Path(tmp) / name).read_bytes())


def _grey_lossless(image, fh, levels: int) -> None:
    step = 255 / (levels - 1)
    lut = [min(255, round(round(v / step) * step)) for v in range(256)]
    image.convert("L").point(lut).save(fh, "WEBP", lossless=True, quality=25, method=1)


def _grey_palette_png(image, fh) -> None:
    from openwenku.conversion.render import encode_page

    with tempfile.TemporaryDirectory() as tmp:
        name = encode_page(image.convert("L"), Path(tmp), "p", picture=False, quality=0, method=0)
        fh.write((Path(tmp) / name).read_bytes())


# -- 1. encoders --------------------------------------------------------------------
def encoders(files: list[Path], per_pdf: int = 4) -> None:
    import pypdfium2 as pdfium

    print("\n== Page images at 1200 px: format and settings ==")
    OUT.mkdir(parents=True, exist_ok=True)
    bitmaps = []
    for f in files:
        if f.suffix.lower() != ".pdf":
            continue
        try:
            pdf = pdfium.PdfDocument(str(f))
        except pdfium.PdfiumError:
            continue
        for i in range(min(per_pdf, len(pdf))):
            page = pdf[i]
            w, _ = page.get_size()
            bitmaps.append(page.render(scale=1200 / w).to_pil().convert("RGB"))
    bitmaps[0].save(OUT / "page-original.png")

    def save(fmt: str, **opts):
        return lambda image, fh: image.save(fh, fmt, **opts)

    settings = [
        ("webp q80 m4 (Pillow default)", save("WEBP", quality=80, method=4), "webp"),
        ("webp q75 m4", save("WEBP", quality=75, method=4), "webp"),
        ("webp q75 m2", save("WEBP", quality=75, method=2), "webp"),
        ("webp q70 m2", save("WEBP", quality=70, method=2), "webp"),
        ("webp q80 m0", save("WEBP", quality=80, method=0), "webp"),
        ("webp lossless 8 greys m1", lambda i, fh: _grey_lossless(i, fh, 8), "webp"),
        ("webp lossless 4 greys m1", lambda i, fh: _grey_lossless(i, fh, 4), "webp"),
        ("jpeg q80", save("JPEG", quality=80), "jpg"),
        ("jpeg q70", save("JPEG", quality=70), "jpg"),
        ("png rgb", save("PNG", compress_level=6), "png"),
        ("png 4 greys, 2-bit palette", _grey_palette_png, "png"),
        (
            "chosen: grey->4-grey png, else webp q75 m2",
            lambda i, fh: encode_chosen(i, fh, quality=75, method=2),
            None,
        ),
    ]
    print(f"{'encoder':<44} {'KB/page med':>11} {'KB/page p95':>11} {'ms/page':>8}")
    for label, encode, ext in settings:
        sizes, times = [], []
        for bmp in bitmaps:
            buf = io.BytesIO()
            t = time.process_time()
            encode(bmp, buf)
            times.append((time.process_time() - t) * 1000)
            sizes.append(buf.tell() / 1024)
        print(
            f"{label:<44} {statistics.median(sizes):>11.1f} "
            f"{percentile(sizes, 0.95):>11.1f} {statistics.median(times):>8.1f}"
        )
        slug = "".join(c if c.isalnum() else "-" for c in label.split(":")[0]).strip("-")
        buf = io.BytesIO()
        encode(bitmaps[0], buf)
        if ext is None:  # the chosen encoder writes PNG or WebP depending on the page
            ext = "png" if buf.getvalue()[:4] == b"\x89PNG" else "webp"
        (OUT / f"page-{slug}.{ext}").write_bytes(buf.getvalue())
    print(
        f"({len(bitmaps)} pages of the set's PDFs, CPU ms; grey rows turn colour pages grey; "
        f"samples in {OUT})"
    )


# -- 2. baseline --------------------------------------------------------------------
def baseline(files: list[Path]) -> dict:
    print("\n== Baseline: cold soffice per file + pdftoppm -png -r 100 ==")
    work = Path(tempfile.mkdtemp(prefix="bench-base-"))
    first_page, pages, page_bytes = [], 0, []
    peak = 0
    started = time.monotonic()
    for i, f in enumerate(files):
        t0 = time.monotonic()
        d = work / str(i)
        d.mkdir()
        src = d / f"in{f.suffix.lower()}"
        shutil.copy(f, src)
        if f.suffix.lower() == ".pdf":
            pdf = src
        else:
            proc = subprocess.Popen(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{d}/profile",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    str(d),
                    str(src),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            sampler = RssSampler(proc.pid)
            while proc.poll() is None:
                sampler.sample()
                time.sleep(0.05)
            peak = max(peak, sampler.peak)
            pdf = d / "in.pdf"
            if not pdf.exists():
                print(f"  baseline: no PDF for {f.name}")
                continue
        subprocess.run(
            ["pdftoppm", "-png", "-r", "100", str(pdf), str(d / "page")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        images = sorted(d.glob("page*.png"))
        first_page.append(time.monotonic() - t0)  # pdftoppm writes the first page first
        pages += len(images)
        page_bytes += [p.stat().st_size for p in images]
    elapsed = time.monotonic() - started
    shutil.rmtree(work, ignore_errors=True)
    return {
        "docs": len(files),
        "pages": pages,
        "seconds": elapsed,
        "first": first_page,
        "bytes": page_bytes,
        "peak": peak,
    }


# -- 3. OpenWenku ---------------------------------------------------------------------
def django_env(data: Path) -> dict:
    env = {
        **os.environ,
        "OPENWENKU_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "openwenku.settings",
        "OPENWENKU_OCR": "false",
    }
    env.pop("DATABASE_URL", None)
    return env


def openwenku(files: list[Path], workers: int) -> dict:
    print(f"\n== OpenWenku: {workers} worker process(es), warm LibreOffice, parallel pages ==")
    data = Path(tempfile.mkdtemp(prefix="bench-owk-"))
    env = django_env(data)
    os.environ.update(env)
    import django

    from openwenku import datadir

    datadir.ensure()
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from openwenku.documents import services
    from openwenku.documents.models import Document

    owner = get_user_model().objects.create_user("bench", password="x")
    # Workers warm up before the clock starts, as they would on a running site.
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "openwenku",
            "worker",
            "--concurrency",
            str(workers),
            "--interval",
            "0.05",
            "--no-startup-delay",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    warm = services.document_create(
        owner=owner,
        incoming=services.incoming_from_path(CORPUS / "main" / "poi__HeaderFooterUnicode.docx"),
    )
    while Document.objects.get(pk=warm.pk).status not in ("ready", "failed"):
        time.sleep(0.1)
    time.sleep(2 * workers)  # every worker process has had time to start its instance
    sampler = RssSampler(proc.pid)
    started = time.monotonic()
    created = {}
    for f in files:
        d = services.document_create(owner=owner, incoming=services.incoming_from_path(f))
        created[d.pk] = time.monotonic()
    first: dict[int, float] = {}
    while True:
        sampler.sample()
        rows = Document.objects.filter(pk__in=created).values_list("pk", "status", "pages_ready")
        now = time.monotonic()
        for pk, _status, ready in rows:
            if ready and pk not in first:
                first[pk] = now - created[pk]
        if all(status in ("ready", "failed") for _, status, _ in rows):
            break
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    docs = Document.objects.filter(pk__in=created)
    from openwenku.documents.models import DocumentPage

    pages = DocumentPage.objects.filter(document__in=docs)
    failed = list(docs.filter(status="failed").values_list("original_name", "failure_reason"))
    result = {
        "docs": len(files),
        "pages": pages.count(),
        "seconds": elapsed,
        "first": list(first.values()),
        "bytes": list(pages.values_list("image_bytes", flat=True)),
        "peak": sampler.peak,
        "failed": failed,
        "proc": proc,
        "owner": owner,
        "page_counts": dict(docs.values_list("original_name", "page_count")),
    }
    return result


def first_page_10_pages(result: dict) -> list[float]:
    """Time to the first stored page of a ~10-page DOCX, on the warm workers."""
    from openwenku.documents import services
    from openwenku.documents.models import Document

    source = (
        CORPUS
        / "main"
        / ("chatchat__行标编制说明（核电厂定期安全评价指南 第7部分：经验反馈）20230324.docx")
    )
    times = []
    for _ in range(3):
        t0 = time.monotonic()
        d = services.document_create(
            owner=result["owner"], incoming=services.incoming_from_path(source)
        )
        while not Document.objects.get(pk=d.pk).pages_ready:
            time.sleep(0.02)
        times.append(time.monotonic() - t0)
        while Document.objects.get(pk=d.pk).status not in ("ready", "failed"):
            time.sleep(0.05)
    pages = Document.objects.get(pk=d.pk).page_count
    print(
        f"\nTime to first page, {pages}-page DOCX on a warm worker: "
        + ", ".join(f"{t:.2f} s" for t in times)
    )
    return times


def report(base: dict | None, owk: dict) -> None:
    def row(name, r):
        kb = statistics.median(r["bytes"]) / 1024 if r["bytes"] else float("nan")
        print(
            f"{name:<10} {r['docs'] / r['seconds']:>7.2f} {r['pages'] / r['seconds']:>8.1f} "
            f"{statistics.median(r['first']):>9.2f} {percentile(r['first'], 0.95):>8.2f} "
            f"{kb:>9.1f} {r['peak'] / 2**20:>8.0f} {r['pages']:>6} {r['seconds']:>7.1f}"
        )

    print(
        f"\n{'':<10} {'docs/s':>7} {'pages/s':>8} {'1st p50 s':>9} {'1st p95':>8} "
        f"{'KB/page':>9} {'peak MB':>8} {'pages':>6} {'total s':>7}"
    )
    if base:
        row("baseline", base)
    row("openwenku", owk)
    if base:
        ratio = (owk["docs"] / owk["seconds"]) / (base["docs"] / base["seconds"])
        print(f"\nThroughput ratio (OpenWenku / baseline): {ratio:.2f}x")
        if base["pages"] != owk["pages"]:
            print(
                f"Page counts differ ({base['pages']} vs {owk['pages']}): the baseline's "
                "soffice runs without the font substitutions, so documents set in 宋体/"
                "Calibri etc. reflow to other widths; spreadsheets print with the same "
                "LibreOffice page setup either way."
            )
    if owk["failed"]:
        print("failed in OpenWenku:", owk["failed"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=40)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    files = pick_files(args.files)
    kinds: dict[str, int] = {}
    for f in files:
        kinds[f.suffix.lower()] = kinds.get(f.suffix.lower(), 0) + 1
    print(f"{len(files)} files: {kinds}; {os.cpu_count()} cores")
    encoders(files)
    base = None if args.skip_baseline else baseline(files)
    owk = openwenku(files, args.workers)
    try:
        first_page_10_pages(owk)
    finally:
        owk["proc"].terminate()
        owk["proc"].wait(timeout=60)
    report(base, owk)


if __name__ == "__main__":
    main()
