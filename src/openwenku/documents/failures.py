"""Why a file was refused or a conversion failed: a stable code and its message.

Sniffing at upload (documents/sniff.py) and the conversion pipeline raise
:class:`ConversionError` with one of these codes; conversion stores the code in
``Document.failure_code``; the English text goes to ``failure_reason`` for
operators and logs. Pages, JSON and the API show :func:`failure_message`, so
an uploader reads why in their own language, whenever they look.

Parameters a message needs are filled from the document and the settings at
display time (the format's name, the limits), so the code alone is enough.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError

from . import formats

if TYPE_CHECKING:
    from .models import Document

MESSAGES: dict[str, Promise] = {
    # The file itself, told apart before any converter runs (sniffing).
    "unreadable": _("The file could not be read; please upload it again."),
    "empty": _("The file is empty (0 bytes)."),
    "corrupt": _("The file is damaged: it is not a valid %(kind)s."),
    "corrupt_structure": _("The file is damaged: its structure could not be recognised."),
    "unsupported_format": _("Unsupported file type: %(label)s."),
    "too_many_files": _("Unsupported file: the archive holds too many files."),
    "encrypted": _(
        "The file is password-protected and cannot be converted. "
        "Remove the password and upload it again."
    ),
    # Converting it to PDF.
    "not_convertible": _("The file is damaged or is not a valid %(kind)s; it cannot be converted."),
    "timeout": _(
        "The conversion timed out (over %(seconds)d seconds); "
        "the file may be damaged or too complex."
    ),
    "converter_crashed": _("The converter exited abnormally; the file may be damaged."),
    "crashed_twice": _(
        "The file made the converter crash twice; it may be damaged or contain malicious content."
    ),
    "interrupted": _(
        "The conversion was interrupted twice (the converter crashed or timed out); "
        "the file may be damaged or contain malicious content."
    ),
    "epub_needs_pandoc": _(
        "This site does not support EPUB e-books yet (pandoc is not installed on the server)."
    ),
    "epub_needs_sandbox": _(
        "This site does not support EPUB e-books yet "
        "(the conversion sandbox is not enabled on the server)."
    ),
    "epub_invalid": _("This is not a valid EPUB e-book; it cannot be read."),
    "output_too_large": _(
        "The file expands to more than this site's limit of %(scratch_mb)d MB when "
        "converted; it may be a decompression bomb."
    ),
    # Reading the PDF and drawing its pages.
    "pdf_invalid": _("This is not a valid PDF file; the file may be damaged."),
    "pdf_unreadable": _("The PDF file is damaged and cannot be read."),
    "no_pages": _("The document has no page that can be shown; the file may be damaged."),
    "too_many_pages": _("The document has more pages than this site's limit of %(limit)d."),
    "pages_broken": _("The file is damaged: none of its pages can be shown."),
    "most_pages_broken": _("The file is damaged: most of its pages cannot be shown."),
    "render_timeout": _("Drawing the pages timed out (over %(seconds)d seconds)."),
    # Ours, not the file's.
    "internal": _(
        "An internal error happened during the conversion; the administrators have a "
        "record of it. Please try again later."
    ),
}

UNKNOWN_TYPE = _("unknown")


def register_messages(messages: Mapping[str, Promise]) -> None:
    """Let a higher app add codes of its own (integrity's held/rejected reasons),
    so :func:`failure_message` shows them in the reader's language."""
    for code, message in messages.items():
        MESSAGES.setdefault(code, message)


def default_params(fmt: str = "") -> dict[str, Any]:
    """What a message may need that the settings and the document's format tell."""
    conf = settings.OPENWENKU
    known = formats.get(fmt)
    return {
        "kind": known.kind if known else fmt.upper(),
        "label": UNKNOWN_TYPE,
        "limit": conf["MAX_PAGES"],
        "seconds": conf["CONVERT_TIMEOUT"],
        "scratch_mb": conf["CONVERT_SCRATCH_MB"],
    }


def render(code: str, params: Mapping[str, Any] | None = None) -> str | None:
    """The message of ``code`` in the active language, or None for an unknown code."""
    message = MESSAGES.get(code)
    if message is None:
        return None
    values = {
        key: str(value) if isinstance(value, Promise) else value
        for key, value in (params or {}).items()
    }
    text = str(message)
    return text % values if "%(" in text else text


def failure_message(document: Document) -> str:
    """Why ``document`` failed, in the reader's language (rows from before codes: as stored)."""
    code = document.failure_code
    if code == "review_rejected":  # the operator's own words
        return document.failure_reason
    params = default_params(document.format)
    if code == "render_timeout":
        params["seconds"] = settings.OPENWENKU["RENDER_TIMEOUT"]
    return (render(code, params) if code else None) or document.failure_reason


class ConversionError(ApplicationError):
    """A file could not be converted, for a reason a person understands.

    ``retryable`` says whether trying again later could succeed (a timeout may,
    a password never will).
    """

    code = "conversion_failed"
    status = 422

    def __init__(self, code: str, *, retryable: bool = False, **params: Any) -> None:
        super().__init__(MESSAGES[code], code=code, **params)
        self.retryable = retryable

    @property
    def diagnostic(self) -> str:
        """The message in English, for operators and logs."""
        with translation.override("en"):
            return self.message


class UnsupportedFile(ConversionError):
    """Sniffing refused the file before any converter ran (see documents/sniff.py)."""
