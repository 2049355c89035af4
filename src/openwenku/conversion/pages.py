"""Drive the page renderer (render.py) in child processes.

The parent watches each child line by line: a child that goes quiet on a page
for PAGE_TIMEOUT seconds, or dies, costs that one page (shown as a
placeholder) and a new child resumes after it. A document whose pages mostly
fail is failed as a whole.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from . import sandbox
from .errors import ConversionError


class _ChildFailed(Exception):
    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def _lines(proc: subprocess.Popen, deadline: float):
    """Yield the child's JSON lines; raise _ChildFailed on a silent page or a crash."""
    fd = proc.stdout.fileno()
    buf = b""
    while True:
        wait = min(settings.OPENWENKU["PAGE_TIMEOUT"], deadline - time.monotonic())
        if wait <= 0:
            raise _ChildFailed("deadline")
        ready, _, _ = select.select([fd], [], [], wait)
        if not ready:
            raise _ChildFailed("timeout")
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            if buf.strip():
                yield json.loads(buf)
            code = proc.wait()
            if code != 0:
                raise _ChildFailed(f"exit {code}")
            return
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


def render_pdf(
    pdf: Path, outdir: Path, on_page: Callable[[dict], None], on_total: Callable[[int], None]
) -> int:
    """Render every page of ``pdf`` into ``outdir``; return the page count."""
    conf = settings.OPENWENKU
    deadline = time.monotonic() + conf["RENDER_TIMEOUT"]
    total: int | None = None
    start, failed = 1, 0
    while True:
        cmd = [
            sys.executable,
            "-m",
            "openwenku.conversion.render",
            str(pdf),
            str(outdir),
            "--start",
            str(start),
            "--width",
            str(conf["PAGE_WIDTH"]),
            "--thumb-width",
            str(conf["THUMB_WIDTH"] if start == 1 else 0),
            "--max-pages",
            str(conf["MAX_PAGES"]),
            "--quality",
            str(conf["WEBP_QUALITY"]),
            "--method",
            str(conf["WEBP_METHOD"]),
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=sandbox._limits(conf["WORKER_MEMORY_MB"] * 1024 * 1024),
        )
        try:
            for msg in _lines(proc, deadline):
                if "error" in msg:
                    raise _pdf_error(msg["error"])
                if "pages" in msg:
                    if total is None:
                        total = msg["pages"]
                        _check_total(total)
                        on_total(total)
                    continue
                if "failed" in msg:
                    failed += 1
                on_page(msg)
                start = msg["page"] + 1
            if total is not None and start > total:
                break
            raise _ChildFailed("ended early")
        except _ChildFailed as exc:
            sandbox.kill_group(proc)
            if exc.why == "deadline":
                raise ConversionError(
                    f"页面生成超时（超过 {conf['RENDER_TIMEOUT']} 秒）", retryable=True
                ) from None
            if total is None:
                raise ConversionError("PDF 文件已损坏，无法读取") from None
            # This page killed or hung the renderer: skip it and carry on after it.
            failed += 1
            on_page({"page": start, "failed": exc.why})
            start += 1
            if start > total:
                break
        finally:
            if proc.poll() is None:
                sandbox.kill_group(proc)
        if failed > max(3, total // 2):
            raise ConversionError("文件已损坏，大部分页面无法显示")
    if failed >= total:
        raise ConversionError("文件已损坏，没有可以显示的页面")
    return total


def _check_total(total: int) -> None:
    limit = settings.OPENWENKU["MAX_PAGES"]
    if total <= 0:
        raise ConversionError("文档没有可以显示的页面，文件可能已损坏")
    if total > limit:
        raise ConversionError(f"文档共 {total} 页，超过本站 {limit} 页的上限")


def _pdf_error(kind: str) -> ConversionError:
    if kind in ("password", "security"):
        return ConversionError("文件有密码保护，无法转换。请去除密码后重新上传")
    return ConversionError("不是有效的 PDF 文件，文件可能已损坏")
