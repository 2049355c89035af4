"""Office formats to PDF with headless LibreOffice.

By default a file goes to this worker's warm LibreOffice instance (lo_pool.py);
without Debian's python3-uno, or with ``LO_MODE=cold``, each file gets a fresh
``soffice`` of its own. Either way LibreOffice runs with the safe profile of
lo_profile.py (no macros, no link updates), inside the sandbox (sandbox.py),
with a timeout that kills its whole process group. Text is re-encoded as UTF-8
first, EPUB turned into DOCX by pandoc. What LibreOffice is shown of each
format (extension, import filter) comes from the format registry
(documents/formats.py). Callers only see ``to_pdf``.
"""

from __future__ import annotations

import json
import logging
import shutil
import unicodedata
from pathlib import Path

from django.conf import settings

from openwenku.documents import formats

from . import lo_pool, sandbox, scratch_watch
from .errors import ConversionError
from .fonts import font_env
from .lo_profile import write_profile

logger = logging.getLogger(__name__)


def _timeout_error(seconds: float) -> ConversionError:
    return ConversionError("timeout", retryable=True, seconds=round(seconds))


def _too_large_error() -> ConversionError:
    return ConversionError("output_too_large", scratch_mb=settings.OPENWENKU["CONVERT_SCRATCH_MB"])


def _corrupt_error(fmt: str) -> ConversionError:
    known = formats.get(fmt)
    return ConversionError("not_convertible", kind=known.kind if known else fmt.upper())


def _run(
    cmd: list[str], *, scratch: Path, timeout: float, mount_at: str | None = None
) -> sandbox.Completed:
    """Run ``cmd`` in the sandbox with ``scratch`` as its only folder (seen at ``mount_at``)."""
    conf = settings.OPENWENKU
    font_env(scratch)
    try:
        return sandbox.run(
            cmd,
            timeout=timeout,
            workdir=scratch,
            memory_bytes=conf["WORKER_MEMORY_MB"] * 1024 * 1024,
            sandbox=sandbox.bubblewrap_available(conf["SANDBOX"]),
            env={"FONTCONFIG_FILE": sandbox.inside(scratch / "fonts.conf", scratch, mount_at)},
            mount_at=mount_at,
        )
    except sandbox.Timeout as exc:
        raise _timeout_error(exc.seconds) from None


def _text_to_utf8(source: Path, target: Path, encoding: str | None) -> None:
    raw = source.read_bytes()
    text = raw.decode(encoding or "utf-8", errors="replace")
    target.write_text(text.replace("\r\n", "\n").lstrip("\ufeff"), encoding="utf-8")


def _epub_to_docx(source: Path, target: Path, scratch: Path, timeout: float) -> None:
    pandoc = shutil.which("pandoc")
    if not pandoc:
        raise ConversionError("epub_needs_pandoc")
    # pandoc would fetch remote images an EPUB links to. Only the bubblewrap
    # sandbox (no network, nothing but the scratch directory) makes that safe;
    # pandoc's own --sandbox cannot write DOCX in the Debian 12 release.
    if not sandbox.bubblewrap_available(settings.OPENWENKU["SANDBOX"]):
        raise ConversionError("epub_needs_sandbox")
    done = _run(
        [pandoc, "-f", "epub", "-t", "docx", "-o", str(target), str(source)],
        scratch=scratch,
        timeout=timeout,
    )
    if done.returncode != 0 or not target.exists():
        raise ConversionError("epub_invalid")


# Bytes of a file name on Linux file systems, less room for the extension.
_NAME_BYTES = 200


def safe_stem(original_name: str) -> str:
    """The uploader's file name without its extension, safe as a file name here.

    LibreOffice prints the name of the file it opened into file-name fields, so
    the file it opens is named as the uploader named it: no folder, no control
    characters, no leading dot or dash, at most ~200 bytes; "document" if
    nothing is left.
    """
    name = original_name.replace("\\", "/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name
    stem = "".join(
        ch for ch in unicodedata.normalize("NFC", stem) if unicodedata.category(ch)[0] != "C"
    )
    stem = stem.strip().lstrip(".-").strip()
    while len(stem.encode("utf-8")) > _NAME_BYTES:
        stem = stem[:-1]
    return stem or "document"


def _prepare(
    source: Path, fmt: str, indir: Path, encoding: str | None, timeout: float, stem: str
) -> Path:
    """The file LibreOffice will open: text re-encoded as UTF-8, EPUB via pandoc."""
    indir.mkdir(parents=True, exist_ok=True)
    known = formats.get(fmt)
    extension = known.office_extension if known and known.office_extension else fmt
    work = indir / f"{stem}.{extension}"
    if fmt == "txt":
        _text_to_utf8(source, work, encoding)
    elif fmt == "epub":
        book = indir / "book.epub"  # inside the sandbox's only visible directory
        shutil.copyfile(source, book)
        _epub_to_docx(book, work, indir.parent, timeout)
    else:
        shutil.copyfile(source, work)
    return work


def to_pdf(
    source: Path,
    *,
    fmt: str,
    scratch: Path,
    encoding: str | None = None,
    original_name: str = "",
) -> Path:
    """Convert ``source`` (already sniffed as ``fmt``) to a PDF inside ``scratch``.

    ``original_name`` is the uploader's file name: file-name fields show it.
    """
    timeout = settings.OPENWENKU["CONVERT_TIMEOUT"]
    scratch.mkdir(parents=True, exist_ok=True)
    work = _prepare(source, fmt, scratch / "in", encoding, timeout, safe_stem(original_name))
    if lo_pool.warm_available():
        return _to_pdf_warm(work, fmt=fmt, scratch=scratch, timeout=timeout)
    return _to_pdf_cold(work, fmt=fmt, scratch=scratch, timeout=timeout)


def _office_filter(fmt: str) -> tuple[str, str] | None:
    known = formats.get(fmt)
    return known.office_filter if known else None


def _to_pdf_warm(work: Path, *, fmt: str, scratch: Path, timeout: float) -> Path:
    """On this worker's warm instance.

    A file that crashes the warm instance gets one more try in a fresh, cold
    soffice of its own: LibreOffice 7.4 aborts on some documents with comments
    when they are loaded over UNO, yet converts them from the command line. If
    that crashes too, the file is failed.
    """
    try:
        produced = lo_pool.instance().convert(work, fmt, timeout, office_filter=_office_filter(fmt))
    except lo_pool.InstanceTimeout as exc:
        raise _timeout_error(exc.seconds) from None
    except sandbox.ScratchFull:
        raise _too_large_error() from None
    except lo_pool.LoadFailed:
        raise _corrupt_error(fmt) from None
    except lo_pool.InstanceCrashed:
        _restart_quietly()  # warm again for the next file
        try:
            return _to_pdf_cold(work, fmt=fmt, scratch=scratch, timeout=timeout)
        except ConversionError as exc:
            if exc.retryable:
                raise ConversionError("crashed_twice") from None
            raise
    pdf = scratch / "document.pdf"
    shutil.move(produced, pdf)
    return pdf


def _restart_quietly() -> None:
    try:
        lo_pool.instance().start()
    except (lo_pool.InstanceCrashed, lo_pool.InstanceTimeout):
        logger.exception("LibreOffice could not be restarted; the next file will try again")


# How soffice reports that it could not write (ERRCODE_IO_CANTWRITE): the scratch bound.
_WRITE_ERROR = "Class:Write"


def _tmp_was_full(stdout: str) -> bool:
    for line in reversed(stdout.splitlines()):
        if line.startswith(scratch_watch.MARKER):
            return bool(json.loads(line.removeprefix(scratch_watch.MARKER)).get("tmp_full"))
    return False


def _to_pdf_cold(work: Path, *, fmt: str, scratch: Path, timeout: float) -> Path:
    """One fresh soffice process for this file (fallback without python3-uno).

    In the sandbox it sees ``scratch`` as the neutral /job: a file-name field
    it cannot be told to shorten (no UNO here) shows no server path.
    """
    outdir = scratch / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    mount_at = (
        sandbox.JOB_DIR if sandbox.bubblewrap_available(settings.OPENWENKU["SANDBOX"]) else None
    )

    def seen(path: Path) -> str:
        return sandbox.inside(path, scratch, mount_at)

    cmd = [settings.OPENWENKU["SOFFICE"]]
    office_filter = _office_filter(fmt)
    if office_filter:
        cmd.append(f"--infilter={office_filter[0]}:{office_filter[1]}")
    cmd += [
        f"-env:UserInstallation={Path(seen(write_profile(scratch / 'profile'))).as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        "--convert-to",
        "pdf",
        "--outdir",
        seen(outdir),
        seen(work),
    ]
    watched = mount_at is not None and Path(lo_pool.SYSTEM_PYTHON).exists()
    if watched:  # how full the private /tmp got (a failure there leaves no trace)
        shutil.copyfile(lo_pool.WATCH, scratch / lo_pool.WATCH.name)
        cmd = [lo_pool.SYSTEM_PYTHON, seen(scratch / lo_pool.WATCH.name), *cmd]
    done = _run(cmd, scratch=scratch, timeout=timeout, mount_at=mount_at)
    pdf = outdir / f"{work.stem}.pdf"
    write_failed = _WRITE_ERROR in done.stdout or _WRITE_ERROR in done.stderr
    if write_failed or _tmp_was_full(done.stdout) or sandbox.hit_scratch_bound(outdir):
        raise _too_large_error()
    if not pdf.exists() or pdf.stat().st_size == 0:
        if done.returncode < 0:
            raise ConversionError("converter_crashed", retryable=True)
        raise _corrupt_error(fmt)
    return pdf
