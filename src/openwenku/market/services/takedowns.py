"""A document taken down for cause (copyright, illegal, privacy): its upload
reward is taken back and the income from its sales is frozen (not
withdrawable) while it is down; with ``OPENWENKU_TAKEDOWN_REFUND_BUYERS`` its
sales are also reversed to the buyers. A restore unfreezes what is left.

Driven by documents' signals (``document_removed_for_cause``,
``document_restored``): moderation, which takes documents down, never calls the
market directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openwenku.documents.models import Document

from .. import ledger
from ..models import LedgerEntry, Purchase, SaleFreeze, SaleReversal, Wallet
from .rewards import reward_clawback

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind


def takedown_earnings_freeze(*, document: Document, cause: str, by: User | None = None) -> int:
    """Freeze the document's sale income, take its upload reward back and, when
    the site says so, reverse its sales to the buyers; returns sales reversed."""
    reason = _("Taken down (%(cause)s)") % {"cause": cause}
    reward_clawback(document=document, reason=reason, by=by)
    with transaction.atomic():
        SaleFreeze.objects.get_or_create(document_id=document.pk, defaults={"reason": reason})
    if not settings.OPENWENKU["TAKEDOWN_REFUND_BUYERS"]:
        return 0
    reversed_ = 0
    for purchase in Purchase.objects.filter(document_id=document.pk, refunded_at__isnull=True):
        if sale_reverse(purchase=purchase, reason=reason, by=by):
            reversed_ += 1
    return reversed_


def takedown_earnings_unfreeze(*, document: Document) -> None:
    """The document was restored: its remaining sale income follows the normal hold."""
    SaleFreeze.objects.filter(document_id=document.pk).delete()


def sale_reverse(*, purchase: Purchase, reason: str, by: User | None = None) -> SaleReversal | None:
    """Give the buyer the whole price back; take the seller's share from what the
    seller's wallet can cover (the rest is recorded as owed) and the commission
    from the site. Once per purchase; None if it was refunded already."""
    memo = reason[:255]
    buyer_id = ledger.wallet_id_for_user(purchase.buyer_id)
    seller_id = ledger.wallet_id_for_user(purchase.seller_id)
    platform_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM)
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.refunded_at is not None:
            return None
        wallets = ledger.lock_wallets([buyer_id, seller_id, platform_id])
        taken = min(wallets[seller_id].balance, locked.seller_share)
        try:
            with transaction.atomic():
                reversal = SaleReversal.objects.create(
                    purchase=locked, seller_share=locked.seller_share, taken=taken, reason=memo
                )
        except IntegrityError:
            return None
        commission = min(wallets[platform_id].balance, locked.commission)
        for wallet_id, amount in (
            (seller_id, -taken),
            (platform_id, -commission),
            (buyer_id, locked.price),
        ):
            if amount:
                ledger.post(
                    wallets[wallet_id],
                    amount,
                    Kind.REFUND,
                    document_id=locked.document_id,
                    purchase=locked,
                    created_by=by,
                    memo=memo,
                )
        locked.refunded_at = timezone.now()
        locked.refund_reason = memo
        locked.save(update_fields=["refunded_at", "refund_reason"])
    return reversal
