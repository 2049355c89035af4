"""Content sniffing (openwenku.documents.sniff) over the shared corpus and hostile input.

No database; the refusals' messages are read in English through Django's
translation, their codes checked directly.

Encrypted corpus rows sniff cannot flag, and why:
- every PDF row: a PDF with /Encrypt may use an empty user password and open
  without one, so sniff always answers encrypted=False for PDFs and pypdfium2
  decides later (those rows are skipped here).
All encrypted Office/ODF rows are detected, including the IRM/DRM-protected .doc.
"""

import csv
import io
import random
import re
import struct
import time
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from openwenku.documents.sniff import FORMATS, Sniffed, UnsupportedFile, sniff_file
from tests.shared import CORPUS

MANIFEST = CORPUS / "MANIFEST.tsv"

# What each manifest `kind` must sniff as.
KIND_FORMAT = {"docm": "docx", "xlsb": "xlsx"}
# Encrypted with Office's built-in password "VelvetSweatshop", so it opens without a
# prompt; proving that needs AES, which the stdlib lacks, so sniff reports it encrypted.
DEFAULT_PASSWORD_ENCRYPTED = {"poi__protected_agile.docx"}
# Real type named by a "wrong extension: <type> named .ext" manifest note.
NOTE_TYPES = {"plain-text": "txt", "json": "txt", "text": "txt", "rtf": "rtf", "pdf": "pdf"}


@pytest.fixture(autouse=True)
def _private_media():
    """Shadow the Django-only autouse fixture of tests/conftest.py: sniff needs none."""
    yield


def _rows(*expected: str) -> list:
    if not MANIFEST.exists():
        return []
    with MANIFEST.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t") if r["expected"] in expected]
    return [pytest.param(r, id=r["local_path"].split("/", 1)[-1]) for r in rows]


def _path(row: dict) -> Path:
    path = CORPUS / row["local_path"]
    if not path.exists():
        pytest.skip(f"corpus file missing: {row['local_path']}")
    return path


def _ext(path: Path) -> str:
    return path.suffix.lstrip(".").lower()


def _real_type(row: dict) -> str | None:
    """The type a "wrong extension: ..." note names, else None."""
    match = re.match(r"wrong extension: (\S+)", row["note"])
    return NOTE_TYPES[match.group(1).lower()] if match else None


def _timed_sniff(path: Path, ext: str = "") -> tuple[Sniffed | UnsupportedFile, float]:
    started = time.perf_counter()
    try:
        result = sniff_file(path, ext)
    except UnsupportedFile as exc:
        result = exc
    return result, time.perf_counter() - started


# --- corpus -------------------------------------------------------------------


@pytest.mark.parametrize("row", _rows("encrypted"))
def test_encrypted_corpus_file_is_flagged(row):
    path = _path(row)
    result = sniff_file(path, _ext(path))
    if result.format == "pdf":
        pytest.skip("PDF encryption is learnt from pypdfium2 (empty user passwords open)")
    assert result.encrypted
    assert result.format == KIND_FORMAT.get(row["kind"], row["kind"])


@pytest.mark.parametrize("row", _rows("ok", "cjk", "scanned"))
def test_good_corpus_file_sniffs_as_its_kind(row):
    path = _path(row)
    result = sniff_file(path, _ext(path))
    assert result.format in FORMATS
    assert result.format == (_real_type(row) or KIND_FORMAT.get(row["kind"], row["kind"]))
    assert result.encrypted == (path.name in DEFAULT_PASSWORD_ENCRYPTED)
    assert result.note == ""
    assert (result.encoding is not None) == (result.format == "txt")


@pytest.mark.parametrize("row", _rows("broken"))
def test_broken_corpus_file_sniffs_or_is_refused_quickly(row):
    path = _path(row)
    result, elapsed = _timed_sniff(path, _ext(path))
    assert elapsed < 2
    if isinstance(result, UnsupportedFile):
        assert result.code and result.message
        assert _real_type(row) is None
    else:
        assert result.format in FORMATS
        if _real_type(row):  # misnamed: the real type wins and the user is told
            assert result.format == _real_type(row)
            with translation.override("en"):
                assert str(result.note).startswith(f"The file is named .{_ext(path)}, but")


@pytest.mark.parametrize(
    ("name", "encoding", "needle"),
    [
        ("tika__english.cp500.txt", "cp500", "IBM IntelliStation POWER"),
        ("tika__russian.cp866.txt", "cp866", "Однажды, в студеную зимнюю пору"),
        ("tika__testTXT_win-1252.txt", "cp1252", "“windows” encoding"),
        ("tika__multi-language.txt", "cp1252", "español ABC adhoc prácticas"),
        ("chatchat__test.txt", "utf-8", None),
    ],
)
def test_corpus_text_encoding(name, encoding, needle):
    path = CORPUS / "main" / name
    if not path.exists():
        pytest.skip(f"corpus file missing: {name}")
    result = sniff_file(path, "txt")
    assert (result.format, result.encoding) == ("txt", encoding)
    text = path.read_bytes().decode(result.encoding)
    assert needle is None or needle in text


def test_misnamed_corpus_files_carry_a_note():
    path = CORPUS / "main" / "tika__file1.pdf"
    if not path.exists():
        pytest.skip("corpus file missing")
    result = sniff_file(path, "pdf")
    assert result.format == "txt"
    with translation.override("en"):
        assert result.note == (
            "The file is named .pdf, but its content is another type (plain text); "
            "it was handled as what it really is."
        )


def test_empty_zip_named_xlsx_is_a_corrupt_workbook():
    path = CORPUS / "main" / "poi__invalid.xlsx"
    if not path.exists():
        pytest.skip("corpus file missing")
    with pytest.raises(UnsupportedFile) as info:
        sniff_file(path, "xlsx")
    assert info.value.code == "corrupt"
    with translation.override("en"):
        assert info.value.message == "The file is damaged: it is not a valid Excel workbook."


# --- synthetic ------------------------------------------------------------------


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_zero_byte_file(tmp_path):
    with pytest.raises(UnsupportedFile) as info:
        sniff_file(_write(tmp_path, "a.docx", b""), "docx")
    assert info.value.code == "empty"


def test_missing_file_is_unsupported_not_oserror(tmp_path):
    with pytest.raises(UnsupportedFile):
        sniff_file(tmp_path / "nope.pdf", "pdf")


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), "JPEG image"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(120), "executable program"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "executable program"),
        (b"Rar!\x1a\x07\x01\x00" + bytes(32), "RAR archive"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(32), "7z archive"),
        (b"\x1f\x8b\x08\x00" + bytes(32), "gzip archive"),
        (b"\x00\x00\x00\x20ftypisom" + bytes(32), "video file"),
    ],
)
def test_known_non_documents_are_named(tmp_path, data, label):
    with pytest.raises(UnsupportedFile) as info:
        sniff_file(_write(tmp_path, "upload.doc", data), "doc")
    assert info.value.code == "unsupported_format"
    with translation.override("en"):
        assert info.value.message == f"Unsupported file type: {label}."


def test_unknown_binary_is_refused(tmp_path):
    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(4096))
    with pytest.raises(UnsupportedFile) as info:
        sniff_file(_write(tmp_path, "x.txt", data), "txt")
    assert info.value.code == "unsupported_format"
    with translation.override("en"):
        assert "binary" in info.value.message


GB_TEXT = "中华人民共和国宪法规定，国家尊重和保障人权。“社会主义制度”是根本制度——禁止破坏。\n"


@pytest.mark.parametrize("repeat", [1, 40_000])  # tiny, and larger than the 1 MiB head
def test_gb18030_chinese_text(tmp_path, repeat):
    text = GB_TEXT * repeat
    path = _write(tmp_path, "gbk.txt", text.encode("gb18030"))
    result = sniff_file(path, "txt")
    assert result.format == "txt"
    assert result.encoding in {"gb18030", "gbk", "gb2312"}
    assert path.read_bytes().decode(result.encoding) == text


def test_gbk_text_with_a_stray_byte_is_still_gb18030(tmp_path):
    data = (GB_TEXT * 50).encode("gbk")
    path = _write(tmp_path, "gbk.txt", data[:301] + b"\xff" + data[301:])
    assert sniff_file(path, "txt").encoding == "gb18030"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Однажды, в студеную зимнюю пору, я из лесу вышел; был сильный мороз.\n", "cp1251"),
        ("日本国民は、正当に選挙された国会における代表者を通じて行動し、\n", "shift_jis"),
        ("中華民國憲法第一條：中華民國基於三民主義，為民有民治民享之民主共和國。\n", "big5"),
        ("Zażółć gęślą jaźń. Wszyscy ludzie rodzą się wolni i równi.\n", "cp1250"),
    ],
)
def test_legacy_encodings_are_not_mistaken_for_gb18030(tmp_path, text, encoding):
    path = _write(tmp_path, "legacy.txt", (text * 20).encode(encoding))
    result = sniff_file(path, "txt")
    assert result.encoding != "gb18030"
    assert path.read_bytes().decode(result.encoding) == text * 20


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "utf-32"])
def test_unicode_text_with_and_without_bom(tmp_path, codec):
    text = "Plain text 纯文本 with a BOM or without one.\n" * 30
    path = _write(tmp_path, "u.txt", text.encode(codec))
    result = sniff_file(path, "txt")
    assert result.format == "txt"
    assert path.read_bytes().decode(result.encoding).lstrip("\ufeff") == text


def test_utf8_character_cut_at_the_head_boundary(tmp_path):
    data = b"a" + "中".encode() * 400_000  # the 1 MiB head ends inside a character
    assert sniff_file(_write(tmp_path, "big.txt", data), "txt").encoding == "utf-8"


def test_rtf_named_doc_gets_a_note(tmp_path):
    path = _write(tmp_path, "report.doc", b"\xef\xbb\xbf  {\\rtf1\\ansi Hello}")
    result = sniff_file(path, "doc")
    with translation.override("en"):
        assert result == Sniffed(
            "rtf",
            False,
            note="The file is named .doc, but its content is another type (RTF document); "
            "it was handled as what it really is.",
        )


def test_pdf_after_junk_and_no_note_for_matching_ext(tmp_path):
    path = _write(tmp_path, "a.pdf", b"\r\n" * 10 + b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert sniff_file(path, "PDF") == Sniffed("pdf", False)
    assert sniff_file(path, "").note == ""


def _corpus_bytes(name: str) -> bytes:
    path = CORPUS / "main" / name
    if not path.exists():
        pytest.skip(f"corpus file missing: {name}")
    return path.read_bytes()


def test_claimed_wps_breaks_the_tie_for_word_binaries(tmp_path):
    path = _write(tmp_path, "a.wps", _corpus_bytes("poi__Word6.doc"))
    assert sniff_file(path, "wps") == Sniffed("wps", False)
    assert sniff_file(path, "doc") == Sniffed("doc", False)


@pytest.mark.parametrize(("ext", "fmt"), [("xlsx", "xlsx"), ("pptm", "pptx"), ("", "docx")])
def test_encrypted_ooxml_takes_its_family_from_the_name(tmp_path, ext, fmt):
    path = _write(tmp_path, "secret", _corpus_bytes("poi__protected_passtika.xlsx"))
    result = sniff_file(path, ext)
    assert (result.format, result.encrypted) == (fmt, True)


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_plain_zip_and_docx_named_doc(tmp_path):
    with pytest.raises(UnsupportedFile) as info:
        sniff_file(_write(tmp_path, "a.zip", _zip({"readme.txt": b"hi"})), "docx")
    assert info.value.code == "unsupported_format"
    with translation.override("en"):
        assert info.value.message == "Unsupported file type: ZIP archive."
    docx = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    result = sniff_file(_write(tmp_path, "a.doc", docx), "doc")
    assert result.format == "docx"
    with translation.override("en"):
        assert result.note == (
            "The file is named .doc, but its content is another type (Word document); "
            "it was handled as what it really is."
        )


def test_epub_with_drm_is_encrypted(tmp_path):
    epub = _zip(
        {
            "mimetype": b"application/epub+zip",
            "META-INF/container.xml": b"<container/>",
            "META-INF/encryption.xml": b'<EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>',
        }
    )
    assert sniff_file(_write(tmp_path, "b.epub", epub), "epub") == Sniffed("epub", True)


# --- hostile input --------------------------------------------------------------


def _assert_fast(path: Path, ext: str, limit: float = 1.0):
    result, elapsed = _timed_sniff(path, ext)
    assert elapsed < limit, f"{path.name} took {elapsed:.2f}s"
    return result


def test_odf_manifest_bomb_is_read_only_up_to_the_cap(tmp_path):
    odt = _zip(
        {
            "mimetype": b"application/vnd.oasis.opendocument.text",
            "content.xml": b"<office:document-content/>",
            "META-INF/manifest.xml": b"<manifest>" + b" " * (64 << 20),  # 64 MiB inflated
        }
    )
    result = _assert_fast(_write(tmp_path, "bomb.odt", odt), "odt")
    assert result == Sniffed("odt", False)


def test_oversized_mimetype_member_is_not_trusted(tmp_path):
    data = _zip({"mimetype": b"application/epub+zip" + b" " * (16 << 20)})
    result = _assert_fast(_write(tmp_path, "m.epub", data), "epub")
    assert isinstance(result, UnsupportedFile)


def test_zip_with_a_huge_central_directory_is_refused_unparsed(tmp_path):
    data = _zip({f"{i:x}": b"" for i in range(60_000)}, zipfile.ZIP_STORED)
    result = _assert_fast(_write(tmp_path, "many.docx", data), "docx", limit=0.2)
    assert isinstance(result, UnsupportedFile)


def test_ole_difat_bomb_is_refused(tmp_path):
    data = bytearray(_corpus_bytes("poi__Word6.doc"))
    struct.pack_into("<I", data, 44, 0xFFFFFFF0)  # claims 4 billion FAT sectors
    struct.pack_into("<I", data, 72, (0xFFFFFFF0 - 109 + 126) // 127)
    struct.pack_into("<I", data, 68, 0)  # DIFAT chain pointing at itself
    result = _assert_fast(_write(tmp_path, "difat.doc", bytes(data)), "doc")
    assert isinstance(result, UnsupportedFile)


def test_ole_stream_looping_on_itself_stays_bounded(tmp_path):
    data = bytearray(_corpus_bytes("poi__Word6.doc"))
    first_dir = struct.unpack_from("<I", data, 48)[0]
    first_fat = struct.unpack_from("<I", data, 76)[0]
    root = 512 * (first_dir + 1)
    ministream = struct.unpack_from("<I", data, root + 116)[0]
    struct.pack_into("<I", data, root + 120, 0x7FFFFFF0)  # root (ministream) size: 2 GiB
    struct.pack_into("<I", data, 512 * (first_fat + 1) + 4 * ministream, ministream)
    _assert_fast(_write(tmp_path, "loop.doc", bytes(data)), "doc")


@pytest.mark.parametrize("seed_name", ["poi__Word6.doc", "poi__testComment.docx"])
def test_mutated_containers_never_raise_anything_else(tmp_path, seed_name):
    seed = _corpus_bytes(seed_name)
    rnd = random.Random(seed_name)
    path = tmp_path / "fuzz.bin"
    for _ in range(150):
        data = bytearray(seed)
        for _ in range(rnd.randint(1, 12)):
            pos = rnd.randrange(min(len(data), 2048))
            data[pos : pos + 4] = rnd.choice(
                [b"\xff\xff\xff\xff", b"\xfe\xff\xff\xff", b"\0\0\0\0"]
            )
        if rnd.random() < 0.3:
            del data[rnd.randrange(1, len(data)) :]
        path.write_bytes(bytes(data))
        result = _assert_fast(path, "doc", limit=0.5)
        assert isinstance(result, Sniffed | UnsupportedFile)
