"""Office formats to PDF with headless LibreOffice.

Each run gets its own profile directory, pre-seeded with settings that refuse
macros, link updates and untrusted linked content, and runs inside the sandbox
(see sandbox.py) with a timeout that kills the whole process group. A later
issue replaces the cold start with a pool of warm instances; callers only see
``to_pdf``.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings

from . import lo_pool, sandbox
from .errors import ConversionError
from .fonts import font_env

logger = logging.getLogger(__name__)

# What the uploader calls the format, for messages.
FORMAT_NAMES = {
    "doc": "Word",
    "docx": "Word",
    "wps": "WPS 文字",
    "rtf": "RTF",
    "odt": "OpenDocument 文本",
    "txt": "文本",
    "ppt": "PowerPoint",
    "pptx": "PowerPoint",
    "odp": "OpenDocument 演示文稿",
    "xls": "Excel",
    "xlsx": "Excel",
    "ods": "OpenDocument 电子表格",
    "epub": "EPUB",
}

# Refuse macros, link updates and untrusted linked images; no first-start wizard.
_SETTINGS = [
    ("Common/Security/Scripting", "MacroSecurityLevel", "3"),
    ("Common/Security/Scripting", "DisableMacrosExecution", "true"),
    ("Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("Writer/Content/Update", "Link", "0"),  # Writer: 0 = never update links
    ("Calc/Content/Update", "Link", "1"),  # Calc: 1 = never update links
    ("Common/Misc", "FirstRun", "false"),
    ("Common/Misc", "ShowTipOfTheDay", "false"),
    ("Common/Save/Document", "AutoSave", "false"),
    ("Recovery/AutoSave", "Enabled", "false"),
]
_REGISTRY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
    + "".join(
        f'<item oor:path="/org.openoffice.Office.{path}"><prop oor:name="{name}" '
        f'oor:op="fuse"><value>{value}</value></prop></item>\n'
        for path, name, value in _SETTINGS
    )
    + "</oor:items>\n"
)

# Extension LibreOffice sees: it sniffs content too, but the name picks the filter family.
_INPUT_EXT = {"wps": "wps", "txt": "txt", "epub": "docx"}


def registry_xml() -> str:
    return _REGISTRY


def _profile(scratch: Path) -> Path:
    profile = scratch / "profile"
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(_REGISTRY, encoding="utf-8")
    return profile


def _timeout_error(seconds: float) -> ConversionError:
    return ConversionError(
        f"转换超时（超过 {seconds:.0f} 秒），文件可能已损坏或过于复杂", retryable=True
    )


def _run(cmd: list[str], *, scratch: Path, timeout: float) -> sandbox.Completed:
    conf = settings.OPENWENKU
    try:
        return sandbox.run(
            cmd,
            timeout=timeout,
            workdir=scratch,
            memory_bytes=conf["WORKER_MEMORY_MB"] * 1024 * 1024,
            sandbox=sandbox.bubblewrap_available(conf["SANDBOX"]),
            env=font_env(scratch),
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
        raise ConversionError("本站暂不支持 EPUB 电子书（服务器未安装 pandoc）")
    # pandoc would fetch remote images an EPUB links to. Only the bubblewrap
    # sandbox (no network, nothing but the scratch directory) makes that safe;
    # pandoc's own --sandbox cannot write DOCX in the Debian 12 release.
    if not sandbox.bubblewrap_available(settings.OPENWENKU["SANDBOX"]):
        raise ConversionError("本站暂不支持 EPUB 电子书（服务器未启用转换沙箱）")
    done = _run(
        [pandoc, "-f", "epub", "-t", "docx", "-o", str(target), str(source)],
        scratch=scratch,
        timeout=timeout,
    )
    if done.returncode != 0 or not target.exists():
        raise ConversionError("不是有效的 EPUB 电子书，无法读取")


def _corrupt_error(fmt: str) -> ConversionError:
    name = FORMAT_NAMES.get(fmt, fmt.upper())
    return ConversionError(f"文件已损坏或不是有效的 {name} 文件，无法转换")


def _prepare(source: Path, fmt: str, indir: Path, encoding: str | None, timeout: float) -> Path:
    """The file LibreOffice will open: text re-encoded as UTF-8, EPUB via pandoc."""
    indir.mkdir(parents=True, exist_ok=True)
    work = indir / f"document.{_INPUT_EXT.get(fmt, fmt)}"
    if fmt == "txt":
        _text_to_utf8(source, work, encoding)
    elif fmt == "epub":
        book = indir / "book.epub"  # inside the sandbox's only visible directory
        shutil.copyfile(source, book)
        _epub_to_docx(book, work, indir.parent, timeout)
    else:
        shutil.copyfile(source, work)
    return work


def to_pdf(source: Path, *, fmt: str, scratch: Path, encoding: str | None = None) -> Path:
    """Convert ``source`` (already sniffed as ``fmt``) to a PDF inside ``scratch``."""
    timeout = settings.OPENWENKU["CONVERT_TIMEOUT"]
    scratch.mkdir(parents=True, exist_ok=True)
    work = _prepare(source, fmt, scratch / "in", encoding, timeout)
    if lo_pool.warm_available():
        return _to_pdf_warm(work, fmt=fmt, scratch=scratch, timeout=timeout)
    return _to_pdf_cold(work, fmt=fmt, scratch=scratch, timeout=timeout)


def _to_pdf_warm(work: Path, *, fmt: str, scratch: Path, timeout: float) -> Path:
    """On this worker's warm instance.

    A file that crashes the warm instance gets one more try in a fresh, cold
    soffice of its own: LibreOffice 7.4 aborts on some documents with comments
    when they are loaded over UNO, yet converts them from the command line. If
    that crashes too, the file is failed.
    """
    try:
        produced = lo_pool.instance().convert(work, fmt, timeout)
    except lo_pool.InstanceTimeout as exc:
        raise _timeout_error(exc.seconds) from None
    except lo_pool.LoadFailed:
        raise _corrupt_error(fmt) from None
    except lo_pool.InstanceCrashed:
        _restart_quietly()  # warm again for the next file
        try:
            return _to_pdf_cold(work, fmt=fmt, scratch=scratch, timeout=timeout)
        except ConversionError as exc:
            if exc.retryable:
                raise ConversionError(
                    "文件两次导致转换程序崩溃，文件可能已损坏或含有恶意内容"
                ) from None
            raise
    pdf = scratch / "document.pdf"
    shutil.move(produced, pdf)
    return pdf


def _restart_quietly() -> None:
    try:
        lo_pool.instance().start()
    except lo_pool.InstanceCrashed:
        logger.exception("LibreOffice could not be restarted; the next file will try again")


def _to_pdf_cold(work: Path, *, fmt: str, scratch: Path, timeout: float) -> Path:
    """One fresh soffice process for this file (fallback without python3-uno)."""
    outdir = scratch / "out"
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [settings.OPENWENKU["SOFFICE"]]
    if fmt == "txt":
        cmd.append("--infilter=Text (encoded):UTF8,LF,,,")
    cmd += [
        f"-env:UserInstallation={_profile(scratch).as_uri()}",
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nologo",
        "--nodefault",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(work),
    ]
    done = _run(cmd, scratch=scratch, timeout=timeout)
    pdf = outdir / "document.pdf"
    if not pdf.exists() or pdf.stat().st_size == 0:
        if done.returncode < 0:
            raise ConversionError("转换程序异常退出，文件可能已损坏", retryable=True)
        raise _corrupt_error(fmt)
    return pdf
