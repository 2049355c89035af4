"""Decide an uploaded file's real type from its content, before any converter runs.

The file name is never trusted: the claimed extension only fills ``Sniffed.note``
and breaks ties the bytes cannot settle (Kingsoft WPS vs Word).  Written for
hostile input: every read is bounded, ZIP members are never expanded past a small
cap, XML is searched as bytes and never parsed, OLE streams are never materialised
beyond the file's own size, and every failure surfaces as :class:`UnsupportedFile`
carrying a stable code and a reason users can read. Format names and the
extensions that claim a format come from the format registry (documents/formats.py).
"""

from __future__ import annotations

import codecs
import dataclasses
import os
import re
import struct
import zipfile
from dataclasses import dataclass

import olefile
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import formats
from .failures import UnsupportedFile

_HEAD_BYTES = 1 << 20  # read from the start of every file, never more
_NUL_WINDOW = 64 << 10  # a NUL in here means binary (UTF-16/32 aside)
_GB_WINDOW = 64 << 10  # bytes whose characters are weighed for the GB18030 guess
_DETECT_WINDOW = 256 << 10  # bytes handed to charset_normalizer
_MEMBER_CAP = 1 << 20  # at most this much of a ZIP member is decompressed
_MAX_CENTRAL_DIR = 2 << 20  # larger ZIP directories are refused, not parsed
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sniffed:
    format: str  # one of FORMATS
    encrypted: bool  # True when opening needs a password
    encoding: str | None = None  # txt only: a codec name Python accepts
    # Set when the claimed extension disagrees with the content (translatable).
    note: str | Promise = ""


FORMATS = formats.CODES

# Extension → format code, variants included (.docm is docx, .et is xls).
_EXT_FORMAT = {ext: f.code for ext, f in formats.BY_EXTENSION.items()}
# Formats with a structure sniffing can find broken: a damaged file claiming one of
# these is "not a valid <kind>". Text and RTF have none to speak of.
_STRUCTURED = formats.CODES - {"rtf", "txt"}


def sniff_file(path: str | os.PathLike, claimed_ext: str = "") -> Sniffed:
    """Return the real format of ``path``; raise UnsupportedFile for anything else."""
    ext = str(claimed_ext or "").strip().lstrip(".").lower()
    try:
        result = _sniff(os.fsdecode(path), ext)
    except UnsupportedFile:
        raise
    except OSError as exc:
        raise UnsupportedFile("unreadable") from exc
    except Exception as exc:  # hostile input must never escape as anything else
        raise _corrupt(ext) from exc
    return _with_note(result, ext)


def _with_note(result: Sniffed, ext: str) -> Sniffed:
    if not ext or _EXT_FORMAT.get(ext) == result.format:
        return result
    return dataclasses.replace(result, note=_note(ext, formats.BY_CODE[result.format].name))


def _render_note(ext: str, name: str | Promise) -> str:
    return gettext(
        "The file is named .%(ext)s, but its content is another type (%(name)s); "
        "it was handled as what it really is."
    ) % {"ext": ext, "name": name}


_note = lazy(_render_note, str)  # rendered when shown, in the reader's language


def _corrupt(ext: str) -> UnsupportedFile:
    claimed = _EXT_FORMAT.get(ext, "")
    if claimed in _STRUCTURED:
        return UnsupportedFile("corrupt", kind=formats.BY_CODE[claimed].kind)
    return UnsupportedFile("corrupt_structure")


def _unsupported(label: str | Promise) -> UnsupportedFile:
    return UnsupportedFile("unsupported_format", label=label)


def _sniff(path: str, ext: str) -> Sniffed:
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        head = f.read(_HEAD_BYTES)
    if not head:
        raise UnsupportedFile("empty")
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path, ext, size)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path, ext)
    if b"%PDF-" in head[:1024]:
        # /Encrypt with an empty user password opens fine; pypdfium2 decides later.
        return Sniffed("pdf", False)
    if re.match(rb"(?:\xef\xbb\xbf)?\s*\{\\rtf", head[:1024]):
        return Sniffed("rtf", False)
    if head.startswith(b"\xdb\xa5\x2d\x00"):  # Word for Windows 2.0
        return Sniffed("doc", False)
    label = _binary_label(head)
    if label:
        raise _unsupported(label)
    return _sniff_text(head, complete=len(head) >= size)


# --- known non-documents ------------------------------------------------------

_EXECUTABLE = _("executable program")
_AUDIO = _("audio file")
_VIDEO = _("video file")
_MAGIC: tuple[tuple[Promise, tuple[bytes, ...]], ...] = (
    (_EXECUTABLE, (b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe")),
    (_("PNG image"), (b"\x89PNG\r\n\x1a\n",)),
    (_("JPEG image"), (b"\xff\xd8\xff",)),
    (_("GIF image"), (b"GIF87a", b"GIF89a")),
    (_("TIFF image"), (b"II*\x00", b"MM\x00*")),
    (_("Photoshop image"), (b"8BPS",)),
    (_AUDIO, (b"ID3", b"\xff\xfb", b"\xff\xf3", b"fLaC", b"OggS", b"MThd")),
    (_VIDEO, (b"\x1a\x45\xdf\xa3", b"FLV\x01", b"\x30\x26\xb2\x75\x8e\x66\xcf\x11")),
    (_("7z archive"), (b"7z\xbc\xaf\x27\x1c",)),
    (_("RAR archive"), (b"Rar!\x1a\x07",)),
    (_("gzip archive"), (b"\x1f\x8b",)),
    (_("compressed archive"), (b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"MSCF")),
    (_("SQLite database"), (b"SQLite format 3\x00",)),
    (_("DjVu document"), (b"AT&TFORM",)),
    (_("CHM help file"), (b"ITSF",)),
)
_RIFF_LABELS = {b"WEBP": _("WebP image"), b"WAVE": _AUDIO, b"AVI ": _VIDEO}
_HEIF_BRANDS = (b"heic", b"heix", b"heif", b"mif1", b"msf1", b"avif")


def _binary_label(head: bytes) -> Promise | None:
    """Name well-known non-document formats, or None."""
    for label, magics in _MAGIC:
        if head.startswith(magics):
            return label
    binary = b"\x00" in head[:64]  # guards the short, text-like signatures below
    if head.startswith(b"MZ") and binary:
        return _EXECUTABLE
    if head.startswith((b"CAJ", b"HN", b"KDH ")) and binary:
        return _("CAJ document (CNKI format)")
    if head.startswith(b"BM") and head[6:10] == b"\x00\x00\x00\x00":
        return _("BMP image")
    if re.match(rb"BZh[1-9]1AY&SY", head):
        return _("bzip2 archive")
    if head.startswith(b"RIFF"):
        return _RIFF_LABELS.get(head[8:12], _("audio or video file"))
    if head[4:8] == b"ftyp":
        return _("HEIC/AVIF image") if head[8:12] in _HEIF_BRANDS else _VIDEO
    if head[0x8001:0x8006] == b"CD001":
        return _("disc image (ISO)")
    return None


# --- OLE2 / Compound File Binary ---------------------------------------------


class _BoundedOleFile(olefile.OleFileIO):
    """OleFileIO that never materialises a stream larger than the file itself.

    olefile reads a whole stream into memory and trusts declared sizes, so a
    sector chain looping on itself with a huge declared size would be read
    forever.  Overrides olefile 0.47 internals (pinned in pyproject.toml).
    """

    def _open(self, start, size=olefile.olefile.UNKNOWN_SIZE, force_FAT=False):
        use_fat = force_FAT or size >= self.minisectorcutoff
        return super()._open(start, min(size, self._filesize), force_FAT=use_fat)

    def read_head(self, name: str, limit: int) -> bytes:
        """Read at most ``limit`` bytes from the start of stream ``name``."""
        entry = self.direntries[self._find(name)]
        if entry.entry_type != olefile.STGTY_STREAM:
            raise OSError(f"{name!r} is not a stream")
        if entry.size < self.minisectorcutoff:
            return self.openstream(name).read(limit)
        return self._open(entry.isectStart, min(entry.size, limit), force_FAT=True).read(limit)


def _check_ole_header(path: str, size: int) -> None:
    """Refuse headers whose FAT/DIFAT/MiniFAT counts cannot fit in the file.

    olefile walks the DIFAT chain as many times as the header says, so a
    self-referencing chain with a huge count would take forever.
    """
    with open(path, "rb") as f:
        header = f.read(512)
    if len(header) < 512:
        raise OSError("truncated OLE header")
    shift = struct.unpack_from("<H", header, 30)[0]
    if shift not in (9, 12):
        raise OSError("bad OLE sector size")
    sectors = size >> shift
    fat_sectors, mini_fat_sectors, difat_sectors = (
        struct.unpack_from("<I", header, offset)[0] for offset in (44, 64, 72)
    )
    fat_needed = sectors // ((1 << shift) // 4) + 1
    if fat_sectors > 2 * fat_needed + 8 or difat_sectors > sectors or mini_fat_sectors > sectors:
        raise OSError("OLE header counts exceed the file size")


def _sniff_ole(path: str, ext: str, size: int) -> Sniffed:
    try:
        _check_ole_header(path, size)
        with _BoundedOleFile(path) as ole:
            return _classify_ole(ole, ext)
    except UnsupportedFile:
        raise
    except Exception as exc:
        raise _corrupt(ext) from exc


def _classify_ole(ole: _BoundedOleFile, ext: str) -> Sniffed:
    if ole.exists("EncryptedPackage"):  # password- or IRM-protected OOXML
        # The parts are encrypted too: trust the claimed family, default to Word.
        family = _EXT_FORMAT.get(ext, "")
        fmt = {"doc": "docx", "xls": "xlsx", "ppt": "pptx"}.get(family, family)
        return Sniffed(fmt if fmt in ("docx", "xlsx", "pptx") else "docx", True)
    # Rights-managed (IRM) binary documents carry only a placeholder body.
    drm = ole.exists("\x09DRMContent") or ole.exists("\x06DataSpaces")
    if ole.exists("WordDocument"):
        fmt = "wps" if _EXT_FORMAT.get(ext) == "wps" else "doc"
        return Sniffed(fmt, drm or _word_encrypted(ole, ext))
    for stream in ("Workbook", "Book"):
        if ole.exists(stream):
            return Sniffed("xls", drm or _xls_encrypted(ole, stream))
    if ole.exists("PowerPoint Document"):
        return Sniffed("ppt", drm or _ppt_encrypted(ole))
    if ole.exists("CONTENTS") or ole.exists("MatOST"):  # Microsoft Works word processor
        return Sniffed("wps", False)
    raise _ole_unsupported(ole)


def _word_encrypted(ole: _BoundedOleFile, ext: str) -> bool:
    fib = ole.read_head("WordDocument", 64)
    if len(fib) < 12:
        raise _corrupt(ext or "doc")
    return bool(struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100)  # FIB fEncrypted


def _xls_encrypted(ole: _BoundedOleFile, stream: str) -> bool:
    """A FILEPASS record before the first EOF means the workbook is encrypted."""
    data = ole.read_head(stream, 64 << 10)
    pos = 0
    while pos + 4 <= len(data):
        record, length = struct.unpack_from("<HH", data, pos)
        if record == 0x002F:
            return True
        if record == 0x000A:
            return False
        pos += 4 + length
    return False


def _ppt_encrypted(ole: _BoundedOleFile) -> bool:
    if ole.exists("EncryptedSummary"):
        return True
    if not ole.exists("Current User"):
        return False
    user = ole.read_head("Current User", 16)
    return len(user) >= 16 and struct.unpack_from("<I", user, 12)[0] == 0xF3D1C4DF


_VISIO = _("Visio drawing")
_OLE_OTHERS = {
    "VisioDocument": _VISIO,
    "Quill": _("Publisher publication"),
    "FileHeader": _("HWP document"),
}


def _ole_unsupported(ole: _BoundedOleFile) -> UnsupportedFile:
    label = next(
        (v for k, v in _OLE_OTHERS.items() if ole.exists(k)),
        _("unrecognised Office compound document"),
    )
    return _unsupported(label)


# --- ZIP containers: OOXML, OpenDocument, EPUB --------------------------------

_ODF_FORMATS = {
    f"application/vnd.oasis.opendocument.{kind}{variant}": fmt
    for kind, fmt in (("text", "odt"), ("spreadsheet", "ods"), ("presentation", "odp"))
    for variant in ("", "-template")
} | {"application/vnd.oasis.opendocument.text-master": "odt"}
_OOXML_PREFIXES = (("word/", "docx"), ("ppt/", "pptx"), ("xl/", "xlsx"))


def _sniff_zip(path: str, ext: str) -> Sniffed:
    try:
        with open(path, "rb") as f:
            # Private, but exactly what ZipFile itself will trust.
            endrec = zipfile._EndRecData(f)  # type: ignore[attr-defined]
        if not endrec:
            raise zipfile.BadZipFile("no end of central directory")
        if endrec[zipfile._ECD_SIZE] > _MAX_CENTRAL_DIR:  # type: ignore[attr-defined]
            raise UnsupportedFile("too_many_files")
        with zipfile.ZipFile(path) as zf:
            return _classify_zip(zf, ext)
    except UnsupportedFile:
        raise
    except Exception as exc:
        raise _corrupt(ext) from exc


def _read_member(zf: zipfile.ZipFile, name: str, cap: int = _MEMBER_CAP) -> bytes:
    """Decompress at most ``cap`` bytes of ``name`` (b"" when absent)."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        return b""
    with zf.open(info) as member:
        return member.read(cap)


def _classify_zip(zf: zipfile.ZipFile, ext: str) -> Sniffed:
    names = set(zf.namelist())
    mimetype = b""
    if "mimetype" in names and zf.getinfo("mimetype").file_size <= 200:
        mimetype = _read_member(zf, "mimetype", 200).strip()
    if mimetype == b"application/epub+zip" or _epub_without_mimetype(names):
        return Sniffed("epub", _epub_encrypted(zf, names))
    fmt = _ODF_FORMATS.get(mimetype.decode("ascii", "replace"))
    if fmt:
        manifest = _read_member(zf, "META-INF/manifest.xml")
        return Sniffed(fmt, b"encryption-data" in manifest)
    fmt = next((f for p, f in _OOXML_PREFIXES if any(n.startswith(p) for n in names)), None)
    if fmt and "[Content_Types].xml" in names:
        return Sniffed(fmt, False)  # macro-enabled and .xlsb variants included
    if fmt:
        raise _corrupt(fmt)
    raise _zip_unsupported(names, ext)


def _epub_without_mimetype(names: set[str]) -> bool:
    """Sloppy EPUBs omit ``mimetype`` but keep the container and an OPF package."""
    if "mimetype" in names or "META-INF/container.xml" not in names:
        return False
    return any(n.endswith(".opf") for n in names)


def _epub_encrypted(zf: zipfile.ZipFile, names: set[str]) -> bool:
    """DRM (e.g. Adobe ADEPT) uses XML-Encryption; font obfuscation does not."""
    if "META-INF/rights.xml" in names:
        return True
    return b"xmlenc#" in _read_member(zf, "META-INF/encryption.xml")


def _zip_unsupported(names: set[str], ext: str) -> UnsupportedFile:
    if "OFD.xml" in names:
        return _unsupported(_("OFD fixed-layout document"))
    if any(n.endswith(".fdseq") for n in names):
        return _unsupported(_("XPS document"))
    if any(n.startswith("visio/") for n in names):
        return _unsupported(_VISIO)
    if not names and _EXT_FORMAT.get(ext) in _STRUCTURED:
        return _corrupt(ext)  # an empty archive named like a document
    return _unsupported(_("ZIP archive"))


# --- plain text ---------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
    (b"\x84\x31\x95\x33", "gb18030"),
)
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13, 27))
_COMMON_HANZI = frozenset(
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下"
    "自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部"
    "其些主样理心本前开但因只从想实日者意无力它与长把机民第公此已工使情明性知全关点正业外"
)
# Near-ties charset_normalizer cannot break (cp1251 vs mac_cyrillic, cp037 vs cp500 ...)
# go to the code page far more common in uploads.
_PREFERRED = ("cp1252", "cp500", "cp866", "cp1251", "koi8_r", "gb18030", "big5", "shift_jis")
_ALIASES = {"cp037": "cp500", "cp1140": "cp500", "cp1125": "cp866"}
# Latin code pages charset_normalizer confuses with each other on Western text.
_WESTERN = frozenset(
    [f"cp{n}" for n in (437, 775, 850, 858, 1250, 1252, 1254, 1257, 1258)]
    + [f"iso8859_{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)]
    + ["latin_1", "hp_roman8", "mac_roman", "mac_latin2", "mac_iceland"]
)
# Letters in cp1250 that are symbols in cp1252 (ł ą ż Ł Ą Ż ľ ť ...), right after a letter.
_CP1250_ONLY = bytes(
    b
    for b in range(0x80, 0x100)
    if bytes([b]).decode("cp1250", "ignore").isalpha()
    and not bytes([b]).decode("cp1252", "ignore").isalpha()
)
_CENTRAL_EUROPEAN = re.compile(rb"[A-Za-z][" + re.escape(_CP1250_ONLY) + rb"]")


_UNKNOWN_BINARY = _("unrecognised binary file")


def _sniff_text(head: bytes, complete: bool) -> Sniffed:
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    if encoding and _mostly_decodes(head, encoding, complete):
        return Sniffed("txt", False, encoding)
    sample = head[:_NUL_WINDOW]
    if b"\x00" in sample:
        encoding = _bomless_utf16(sample)
        if encoding:
            return Sniffed("txt", False, encoding)
        raise _unsupported(_UNKNOWN_BINARY)
    if len(sample) - len(sample.translate(None, _CONTROL_BYTES)) > len(sample) // 10:
        raise _unsupported(_UNKNOWN_BINARY)
    if _mostly_decodes(head, "utf-8", complete):
        return Sniffed("txt", False, "utf-8")
    if _looks_gb18030(head, complete):
        return Sniffed("txt", False, "gb18030")
    return Sniffed("txt", False, _detect_legacy(head, complete))


def _decode(data: bytes, encoding: str, complete: bool) -> str:
    """Decode with U+FFFD for bad bytes; an incomplete file may end mid-character."""
    return codecs.getincrementaldecoder(encoding)("replace").decode(data, final=complete)


def _mostly_decodes(data: bytes, encoding: str, complete: bool) -> bool:
    """Decodes cleanly, or with at most one bad byte per 100 non-ASCII characters."""
    text = _decode(data, encoding, complete)
    bad = text.count("\ufffd")
    wide = len(text) - len(text.encode("ascii", "ignore")) - bad
    return bad * 100 <= wide


def _bomless_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: mostly-ASCII text has NULs in every other byte."""
    window = sample[: min(len(sample), 4096) // 2 * 2]
    even, odd = window[0::2].count(0), window[1::2].count(0)
    half = len(window) // 2
    for encoding, zeros, others in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        looks_utf16 = half and zeros > half * 0.4 and others < half * 0.02
        if looks_utf16 and _mostly_decodes(sample[: len(sample) // 2 * 2], encoding, False):
            return encoding
    return None


def _looks_gb18030(head: bytes, complete: bool) -> bool:
    """GBK/GB18030 Chinese: decodes (nearly) cleanly and reads like common Chinese."""
    if not _mostly_decodes(head, "gb18030", complete):
        return False
    text = _decode(head[:_GB_WINDOW], "gb18030", False)
    wide = "".join(c for c in text if c > "\x7f" and c != "\ufffd")
    if not wide:
        return False
    hanzi = [c for c in wide if "\u4e00" <= c <= "\u9fff"]
    cjk = len(hanzi) + sum(
        "\u2010" <= c <= "\u206f" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        for c in wide
    )
    # GB2312 holds everyday Chinese; Big5, Shift_JIS or cp866 bytes decode to rarer
    # GBK code points.  (Python's gb2312 maps two punctuation marks differently.)
    gb2312 = len(wide.translate({0x2014: 0x2015, 0xB7: 0x30FB}).encode("gb2312", "ignore")) // 2
    if cjk < 0.9 * len(wide) or gb2312 < 0.9 * len(wide):
        return False
    # EUC-KR Hangul also lands in GB2312's range, but not on frequent characters.
    return len(hanzi) < 50 or sum(c in _COMMON_HANZI for c in hanzi) >= 0.1 * len(hanzi)


def _detect_legacy(head: bytes, complete: bool) -> str:
    from charset_normalizer import from_bytes

    sample = head[:_DETECT_WINDOW]
    if not complete or len(head) > _DETECT_WINDOW:
        cut = sample.rfind(b"\n")  # do not split a multi-byte character
        sample = sample[: cut + 1] if cut > len(sample) // 2 else sample
    matches = from_bytes(sample)
    best = matches.best()
    if best is None:  # damaged or mixed text: the common encoding with fewer bad bytes
        return min(("utf-8", "gb18030"), key=lambda enc: _decode(sample, enc, True).count("\ufffd"))
    near = [
        m.encoding
        for m in matches
        if m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.1
    ]
    encoding = next((enc for enc in _PREFERRED if enc in near), best.encoding)
    if best.language != "Ukrainian":
        encoding = _ALIASES.get(encoding, encoding)
    if encoding in _WESTERN:
        if _CENTRAL_EUROPEAN.search(sample):
            encoding = "cp1250"
        elif _mostly_decodes(sample, "cp1252", True):
            encoding = "cp1252"
    return codecs.lookup(encoding).name
