"""Drive the page renderer (render.py) in child processes, on every core.

K children render interleaved pages (child i takes pages i, i+K, i+2K …), so
the first pages are ready first and every core is busy. The parent watches
each child line by line: a child silent on a page for PAGE_TIMEOUT seconds,
or one that dies, costs that one page (shown as a placeholder) and a new
child resumes after it. A document whose pages mostly fail is failed whole.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from . import sandbox
from .errors import ConversionError


@dataclass
class _Child:
    proc: subprocess.Popen
    next_page: int  # the page this child is working on now
    step: int
    last_progress: float = field(default_factory=time.monotonic)
    buf: bytes = b""


def render_parallelism() -> int:
    configured = settings.OPENWENKU["RENDER_PROCESSES"]
    return configured if configured > 0 else (os.cpu_count() or 1)


def _spawn(pdf: Path, outdir: Path, start: int, step: int) -> subprocess.Popen:
    conf = settings.OPENWENKU
    cmd = [
        sys.executable,
        "-m",
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
    ]
    return subprocess.Popen(
        cmd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        preexec_fn=sandbox._limits(conf["WORKER_MEMORY_MB"] * 1024 * 1024),
    )


def render_pdf(
    pdf: Path, outdir: Path, on_page: Callable[[dict], None], on_total: Callable[[int], None]
) -> int:
    """Render every page of ``pdf`` into ``outdir``; return the page count."""
    conf = settings.OPENWENKU
    deadline = time.monotonic() + conf["RENDER_TIMEOUT"]
    # The first child alone learns the page count, so a broken or encrypted file is
    # refused once, not K times; it then carries on as the first of the K renderers.
    step = max(1, render_parallelism())
    first = _Child(_spawn(pdf, outdir, 1, step), next_page=1, step=step)
    total = _read_total(first, deadline)
    children: list[_Child] = [first]
    try:
        children += [
            _Child(_spawn(pdf, outdir, i + 1, step), next_page=i + 1, step=step)
            for i in range(1, min(step, total))
        ]
        on_total(total)
        failed = _collect(children, pdf, outdir, total, deadline, on_page)
    finally:
        for child in children:
            if child.proc.poll() is None:
                sandbox.kill_group(child.proc)
    if failed >= total:
        raise ConversionError("文件已损坏，没有可以显示的页面")
    if failed > max(3, total // 2):
        raise ConversionError("文件已损坏，大部分页面无法显示")
    return total


def _read_total(child: _Child, deadline: float) -> int:
    page_timeout = settings.OPENWENKU["PAGE_TIMEOUT"]
    fd = child.proc.stdout.fileno()
    while b"\n" not in child.buf:
        wait = min(page_timeout, deadline - time.monotonic())
        ready = select.select([fd], [], [], max(0, wait))[0] if wait > 0 else []
        chunk = os.read(fd, 1 << 16) if ready else b""
        if not chunk:
            sandbox.kill_group(child.proc)
            raise ConversionError("PDF 文件已损坏，无法读取")
        child.buf += chunk
    line, child.buf = child.buf.split(b"\n", 1)
    msg = json.loads(line)
    if "error" in msg:
        sandbox.kill_group(child.proc)
        raise _pdf_error(msg["error"])
    total = int(msg["pages"])
    limit = settings.OPENWENKU["MAX_PAGES"]
    if total <= 0:
        sandbox.kill_group(child.proc)
        raise ConversionError("文档没有可以显示的页面，文件可能已损坏")
    if total > limit:
        sandbox.kill_group(child.proc)
        raise ConversionError(f"文档共 {total} 页，超过本站 {limit} 页的上限")
    return total


def _collect(
    children: list[_Child],
    pdf: Path,
    outdir: Path,
    total: int,
    deadline: float,
    on_page: Callable[[dict], None],
) -> int:
    page_timeout = settings.OPENWENKU["PAGE_TIMEOUT"]
    failed = sum(_drain(c, on_page) for c in children)  # lines read with the page count
    active = [c for c in children if c.next_page <= total]
    while active:
        now = time.monotonic()
        if now > deadline:
            raise ConversionError(
                f"页面生成超时（超过 {settings.OPENWENKU['RENDER_TIMEOUT']} 秒）", retryable=True
            )
        fds = {c.proc.stdout.fileno(): c for c in active}
        ready = select.select(list(fds), [], [], 0.5)[0]
        for fd in ready:
            child = fds[fd]
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                child.proc.wait()
                if child.next_page <= total:  # died before its last page
                    failed += _skip_page(child, pdf, outdir, total, on_page, "crashed")
                continue
            child.buf += chunk
            failed += _drain(child, on_page)
        for child in active:
            silent = time.monotonic() - child.last_progress > page_timeout
            if child.next_page <= total and child.proc.poll() is None and silent:
                failed += _skip_page(child, pdf, outdir, total, on_page, "timeout")
        active = [c for c in children if c.next_page <= total]
        if failed > max(3, total // 2):
            break
    return failed


def _drain(child: _Child, on_page: Callable[[dict], None]) -> int:
    """Hand on every complete line the child has sent; return how many pages failed."""
    failed = 0
    while b"\n" in child.buf:
        line, child.buf = child.buf.split(b"\n", 1)
        msg = json.loads(line)
        if "page" not in msg:
            continue  # the page count, already known
        failed += "failed" in msg
        on_page(msg)
        child.next_page = msg["page"] + child.step
        child.last_progress = time.monotonic()
    return failed


def _skip_page(
    child: _Child, pdf: Path, outdir: Path, total: int, on_page: Callable[[dict], None], why: str
) -> int:
    """The page ``child`` was on killed or hung it: mark it failed, resume after it."""
    sandbox.kill_group(child.proc)
    on_page({"page": child.next_page, "failed": why})
    child.next_page += child.step
    child.buf = b""
    child.last_progress = time.monotonic()
    if child.next_page <= total:
        child.proc = _spawn(pdf, outdir, child.next_page, child.step)
    return 1


def _pdf_error(kind: str) -> ConversionError:
    if kind in ("password", "security"):
        return ConversionError("文件有密码保护，无法转换。请去除密码后重新上传")
    return ConversionError("不是有效的 PDF 文件，文件可能已损坏")
