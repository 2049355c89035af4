"""How conversion says no: application errors with a stable code per failure kind.

Codes and their messages live in documents/failures.py, beside the
``Document.failure_code`` they are stored in; pages show the message in the
reader's language from the code. ``diagnostic`` is the English text kept in
``Document.failure_reason`` for operators and logs.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from openwenku.core.errors import ApplicationError
from openwenku.documents.failures import MESSAGES


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
    def reason(self) -> str:
        """The message in the active language (what the uploader reads now)."""
        return self.message

    @property
    def diagnostic(self) -> str:
        """The message in English, for operators and logs."""
        with translation.override("en"):
            return self.message


class UnsupportedFile(ConversionError):
    """Sniffing refused the file before any converter ran (see sniff.py)."""
