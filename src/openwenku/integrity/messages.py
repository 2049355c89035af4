"""What the uploader reads when a check holds or rejects their document.

The codes are stored in ``Document.failure_code`` (registered with
documents.failures so every page shows them in the reader's language).
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# One message per finding kind (the reason code is the kind).
REASONS: dict[str, Promise] = {
    "sensitive_word": _(
        "The document contains words that must be reviewed before it is published."
    ),
    "contact": _(
        "The document contains contact details (phone, QQ, WeChat or links) "
        "that must be reviewed before it is published."
    ),
    "qr_code": _("A page contains a QR code that must be reviewed before it is published."),
    "low_content": _("The document has too little content (too few pages or too little text)."),
    "near_duplicate": _("The document is very similar to a document already on the site."),
    "copyright_duplicate": _(
        "The document matches a work removed for copyright infringement; it cannot be published."
    ),
    "own_duplicate": _("You already uploaded this document."),
    "content_check": _("The document must be reviewed before it is published."),
}


def reason_message(kind: str) -> Promise:
    return REASONS.get(kind, REASONS["content_check"])
