"""The file formats the site accepts: one entry per format, read by everyone.

``Document.Format`` (the model's choices), sniffing (documents/sniff.py: the
names of formats and the extensions that claim them), conversion
(conversion/office.py: what LibreOffice is told) and the search filters
(search/filters.py: labels of the format groups) all read this table, so a new
format is added here once.

No models here: sniffing imports this module without a database.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Family:
    """A kind of document; the search filter offers one choice per family."""

    code: str  # the search filter's value (?format=doc), stable
    label: str  # the filter's label, the same in every language


TEXT = Family("doc", "DOC")
PRESENTATION = Family("ppt", "PPT")
SPREADSHEET = Family("xls", "XLS")
PDF = Family("pdf", "PDF")
PLAIN_TEXT = Family("txt", "TXT")
EBOOK = Family("epub", "EPUB")
FAMILIES: tuple[Family, ...] = (TEXT, PRESENTATION, SPREADSHEET, PDF, PLAIN_TEXT, EBOOK)


@dataclass(frozen=True)
class FileFormat:
    code: str  # Document.format, stable
    family: Family
    name: str | Promise  # exactly what the content is ("Word 97-2003 document")
    kind: str | Promise  # what an uploader calls it ("Word document"), in refusals
    extensions: tuple[str, ...]  # every extension claiming this format, the usual one first
    mime_type: str
    # The extension LibreOffice is shown (it picks the filter family by name), and
    # the import filter with its options when the name is not enough.
    office_extension: str | None = None
    office_filter: tuple[str, str] | None = None

    @property
    def label(self) -> str:
        """The short label shown beside a title ("DOCX")."""
        return self.code.upper()

    @property
    def converts_with_office(self) -> bool:
        return self.office_extension is not None


FORMATS: tuple[FileFormat, ...] = (
    FileFormat("pdf", PDF, _("PDF document"), _("PDF document"), ("pdf",), "application/pdf"),
    FileFormat(
        "doc",
        TEXT,
        _("Word 97-2003 document"),
        _("Word document"),
        ("doc", "dot"),
        "application/msword",
        office_extension="doc",
    ),
    FileFormat(
        "docx",
        TEXT,
        _("Word document"),
        _("Word document"),
        ("docx", "docm", "dotx", "dotm"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        office_extension="docx",
    ),
    FileFormat(
        "wps",
        TEXT,
        _("WPS/Works text document"),
        _("WPS text document"),
        ("wps", "wpt"),
        "application/vnd.ms-works",
        office_extension="wps",
    ),
    FileFormat(
        "rtf",
        TEXT,
        _("RTF document"),
        _("RTF document"),
        ("rtf",),
        "application/rtf",
        office_extension="rtf",
    ),
    FileFormat(
        "odt",
        TEXT,
        _("OpenDocument text document"),
        _("OpenDocument document"),
        ("odt", "ott", "odm"),
        "application/vnd.oasis.opendocument.text",
        office_extension="odt",
    ),
    FileFormat(
        "txt",
        PLAIN_TEXT,
        _("plain text"),
        _("text file"),
        ("txt", "text", "csv", "tsv", "md", "log"),
        "text/plain",
        office_extension="txt",
        # The text is re-encoded as UTF-8 first (office.py), whatever it was.
        office_filter=("Text (encoded)", "UTF8,LF,,,"),
    ),
    FileFormat(
        "ppt",
        PRESENTATION,
        _("PowerPoint 97-2003 presentation"),
        _("PowerPoint presentation"),
        ("ppt", "pps", "pot", "dps", "dpt"),
        "application/vnd.ms-powerpoint",
        office_extension="ppt",
    ),
    FileFormat(
        "pptx",
        PRESENTATION,
        _("PowerPoint presentation"),
        _("PowerPoint presentation"),
        ("pptx", "pptm", "ppsx", "ppsm", "potx", "potm"),
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        office_extension="pptx",
    ),
    FileFormat(
        "odp",
        PRESENTATION,
        _("OpenDocument presentation"),
        _("OpenDocument document"),
        ("odp", "otp"),
        "application/vnd.oasis.opendocument.presentation",
        office_extension="odp",
    ),
    FileFormat(
        "xls",
        SPREADSHEET,
        _("Excel 97-2003 workbook"),
        _("Excel workbook"),
        ("xls", "xlt", "et", "ett"),
        "application/vnd.ms-excel",
        office_extension="xls",
    ),
    FileFormat(
        "xlsx",
        SPREADSHEET,
        _("Excel workbook"),
        _("Excel workbook"),
        ("xlsx", "xlsm", "xlsb", "xltx", "xltm"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        office_extension="xlsx",
    ),
    FileFormat(
        "ods",
        SPREADSHEET,
        _("OpenDocument spreadsheet"),
        _("OpenDocument document"),
        ("ods", "ots"),
        "application/vnd.oasis.opendocument.spreadsheet",
        office_extension="ods",
    ),
    FileFormat(
        "epub",
        EBOOK,
        _("EPUB e-book"),
        _("EPUB e-book"),
        ("epub",),
        "application/epub+zip",
        # pandoc turns the book into DOCX first (office.py), which LibreOffice opens.
        office_extension="docx",
    ),
)

BY_CODE: dict[str, FileFormat] = {f.code: f for f in FORMATS}
CODES: frozenset[str] = frozenset(BY_CODE)
# Extensions naming a format, or a variant the converters treat alike.
BY_EXTENSION: dict[str, FileFormat] = {ext: f for f in FORMATS for ext in f.extensions}


def get(code: str) -> FileFormat | None:
    return BY_CODE.get(code)


def for_extension(extension: str) -> FileFormat | None:
    """The format a file name's extension claims (``"DOCM"``, ``".docm"`` → docx)."""
    return BY_EXTENSION.get(extension.strip().lstrip(".").lower())


def choices() -> list[tuple[str, str]]:
    """``(code, label)`` pairs in registry order, as the model's choices."""
    return [(f.code, f.label) for f in FORMATS]


def family_labels() -> dict[str, str]:
    """``{family code: label}`` for the search filter, in registry order."""
    return {family.code: family.label for family in FAMILIES}


def family_formats(family_code: str) -> tuple[str, ...]:
    return tuple(f.code for f in FORMATS if f.family.code == family_code)
