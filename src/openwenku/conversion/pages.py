"""Drive the page renderer (render.py) in child processes, on every core.

K children render interleaved pages (child i takes pages i, i+K, i+2K …), so
the first pages are ready first and every core is busy. The parent reads each
child's JSON lines (child.py): a child silent on a page for PAGE_TIMEOUT
seconds, or one that dies, costs that one page (shown as a placeholder) and a
new child resumes after it. A document whose pages mostly fail is failed whole.
"""

from __future__ import annotations

import errno
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from . import sandbox
from .child import (
    Child,
    ChildExited,
    ChildTimeout,
    python_env,
    python_module,
    python_ro_paths,
    wait_readable,
)
from .errors import ConversionError

logger = logging.getLogger(__name__)

PageMessage = dict[str, Any]
# How a render child's page fails at the scratch bound (RLIMIT_FSIZE: EFBIG in Python).
_FILE_TOO_LARGE = f"[Errno {errno.EFBIG}]"


@dataclass
class _Renderer:
    child: Child
    next_page: int  # the page this child is working on now
    step: int
    last_progress: float = field(default_factory=time.monotonic)


def render_parallelism() -> int:
    configured = settings.OPENWENKU["RENDER_PROCESSES"]
    return configured if configured > 0 else (os.cpu_count() or 1)


def _spawn(pdf: Path, outdir: Path, start: int, step: int) -> Child:
    conf = settings.OPENWENKU
    cmd = python_module(
        "openwenku.conversion.render",
        str(pdf),
        str(outdir),
        "--start",
        str(start),
        "--step",
        str(step),
        "--width",
        str(conf["PAGE_WIDTH"]),
        "--thumb-width",
        str(conf["THUMB_WIDTH"]),
        "--max-pages",
        str(conf["MAX_PAGES"]),
        "--quality",
        str(conf["WEBP_QUALITY"]),
        "--method",
        str(conf["WEBP_METHOD"]),
    )
    return Child(
        cmd,
        workdir=outdir,
        memory_bytes=conf["WORKER_MEMORY_MB"] * 1024 * 1024,
        env=python_env(),
        isolated=sandbox.bubblewrap_available(conf["SANDBOX"]),
        ro_paths=python_ro_paths(pdf),
    )


def render_pdf(
    pdf: Path,
    outdir: Path,
    on_page: Callable[[PageMessage], None],
    on_total: Callable[[int], None],
) -> int:
    """Render every page of ``pdf`` into ``outdir``; return the page count."""
    conf = settings.OPENWENKU
    deadline = time.monotonic() + conf["RENDER_TIMEOUT"]
    pdf, outdir = pdf.resolve(), outdir.resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    # The first child alone learns the page count, so a broken or encrypted file is
    # refused once, not K times; it then carries on as the first of the K renderers.
    step = max(1, render_parallelism())
    first = _Renderer(_spawn(pdf, outdir, 1, step), next_page=1, step=step)
    renderers = [first]
    try:
        total = _read_total(first.child, deadline)
        renderers += [
            _Renderer(_spawn(pdf, outdir, i + 1, step), next_page=i + 1, step=step)
            for i in range(1, min(step, total))
        ]
        on_total(total)
        failed = _collect(renderers, pdf, outdir, total, deadline, on_page)
    finally:
        for renderer in renderers:
            renderer.child.kill()
    if failed >= total:
        raise ConversionError("pages_broken")
    if failed > max(3, total // 2):
        raise ConversionError("most_pages_broken")
    return total


def _read_total(child: Child, deadline: float) -> int:
    conf = settings.OPENWENKU
    try:
        msg = child.read(min(conf["PAGE_TIMEOUT"], deadline - time.monotonic()))
    except (ChildTimeout, ChildExited):
        raise ConversionError("pdf_unreadable") from None
    if "error" in msg:
        raise _pdf_error(msg["error"])
    total = int(msg["pages"])
    if total <= 0:
        raise ConversionError("no_pages")
    if total > conf["MAX_PAGES"]:
        logger.info("refused a PDF of %d pages (limit %d)", total, conf["MAX_PAGES"])
        raise ConversionError("too_many_pages", limit=conf["MAX_PAGES"])
    return total


def _collect(
    renderers: list[_Renderer],
    pdf: Path,
    outdir: Path,
    total: int,
    deadline: float,
    on_page: Callable[[PageMessage], None],
) -> int:
    page_timeout = settings.OPENWENKU["PAGE_TIMEOUT"]
    failed = sum(_drain(r, on_page) for r in renderers)  # lines read with the page count
    active = [r for r in renderers if r.next_page <= total]
    while active:
        if time.monotonic() > deadline:
            raise ConversionError(
                "render_timeout", retryable=True, seconds=settings.OPENWENKU["RENDER_TIMEOUT"]
            )
        by_child = {id(r.child): r for r in active}
        for child in wait_readable([r.child for r in active], 0.5):
            renderer = by_child[id(child)]
            if not child.feed():  # it died
                child.kill()
                if renderer.next_page <= total:  # before its last page
                    failed += _skip_page(renderer, pdf, outdir, total, on_page, "crashed")
                continue
            failed += _drain(renderer, on_page)
        for renderer in active:
            silent = time.monotonic() - renderer.last_progress > page_timeout
            if renderer.next_page <= total and renderer.child.alive and silent:
                failed += _skip_page(renderer, pdf, outdir, total, on_page, "timeout")
        active = [r for r in renderers if r.next_page <= total]
        if failed > max(3, total // 2):
            break
    return failed


def _drain(renderer: _Renderer, on_page: Callable[[PageMessage], None]) -> int:
    """Hand on every complete line the child has sent; return how many pages failed."""
    failed = 0
    for msg in renderer.child.messages():
        if "page" not in msg:
            continue  # the page count, already known
        if _FILE_TOO_LARGE in msg.get("failed", ""):
            raise ConversionError(  # a page image at the scratch bound
                "output_too_large", scratch_mb=settings.OPENWENKU["CONVERT_SCRATCH_MB"]
            )
        failed += "failed" in msg
        on_page(msg)
        renderer.next_page = msg["page"] + renderer.step
        renderer.last_progress = time.monotonic()
    return failed


def _skip_page(
    renderer: _Renderer,
    pdf: Path,
    outdir: Path,
    total: int,
    on_page: Callable[[PageMessage], None],
    why: str,
) -> int:
    """The page ``renderer`` was on killed or hung it: mark it failed, resume after it."""
    renderer.child.kill()
    on_page({"page": renderer.next_page, "failed": why})
    renderer.next_page += renderer.step
    renderer.last_progress = time.monotonic()
    if renderer.next_page <= total:
        renderer.child = _spawn(pdf, outdir, renderer.next_page, renderer.step)
    return 1


def _pdf_error(kind: str) -> ConversionError:
    if kind in ("password", "security"):
        return ConversionError("encrypted")
    return ConversionError("pdf_invalid")
