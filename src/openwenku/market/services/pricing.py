"""Who may set a document's price, and an operator's lock on it.

What a valid price is (limits, free preview pages) is the document's own
rule and lives in ``documents.services.document_update_pricing``; the market
adds only who may change it: its managers (``Document.is_managed_by``: the
uploader or a holder of ``documents.manage_any_document``), and not the
uploader once such an operator has fixed the price (``PricingLock``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import Forbidden
from openwenku.documents.models import MANAGE_ANY_DOCUMENT, Document
from openwenku.documents.services import document_update_pricing

from ..models import PricingLock
from .errors import MarketRefused

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def pricing_set(
    *,
    document: Document,
    by: User,
    price: int,
    preview_pages: int | None,
    lock: bool | None = None,
    reason: str = "",
) -> Document:
    """The uploader (or an operator) sets the price and the free pages.

    An operator may lock them: the uploader then cannot change them. An
    invalid price raises ``documents.services.PricingRefused``.
    """
    if not document.is_managed_by(by):
        raise Forbidden()
    operator = by.has_perm(MANAGE_ANY_DOCUMENT)
    locked = PricingLock.objects.filter(document_id=document.pk).exists()
    if locked and not operator:
        raise MarketRefused(_("An operator fixed this document's price; it cannot be changed."))
    with transaction.atomic():
        document = document_update_pricing(
            document=document, price=price, preview_pages=preview_pages
        )
        if operator and lock is True:
            PricingLock.objects.update_or_create(
                document=document, defaults={"locked_by": by, "reason": reason[:255]}
            )
        elif operator and lock is False:
            PricingLock.objects.filter(document=document).delete()
    return document
