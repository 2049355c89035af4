"""Buying a document and refunding a purchase.

A purchase moves coins between up to three wallets (buyer, uploader, the
site's commission) and records the purchase in one transaction; the
idempotency key and the one-purchase-per-document constraint make a retried
or racing request answer as the first one did, never charging twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document
from openwenku.notifications.services import notify

from .. import kinds as market_kinds
from .. import ledger
from ..ledger import InsufficientBalance
from ..models import LedgerEntry, Purchase, Wallet
from ..selectors import balance_of, market_settings
from .errors import IdempotencyConflict, InsufficientCoins, MarketRefused
from .idempotency import clean_key
from .sales import sale_needs_review

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind


@dataclass(frozen=True)
class PurchaseResult:
    purchase: Purchase
    created: bool
    balance: int


def purchase_create(
    *, buyer: User, document: Document, idempotency_key: str, expected_price: int | None = None
) -> PurchaseResult:
    """Buy a document: debit the buyer, credit the uploader (less commission)
    and the site (commission), record the purchase — all or nothing.

    A retry with the same key returns the same purchase and moves nothing; a
    document already bought is never charged again.
    """
    key = clean_key(idempotency_key)
    buyer_wallet_id = ledger.wallet_id_for_user(buyer.pk)
    seller_wallet_id = ledger.wallet_id_for_user(document.owner_id)
    commission_pct = market_settings().commission_percent
    platform_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM) if commission_pct else None
    try:
        with transaction.atomic():
            wallets = ledger.lock_wallets(
                [i for i in (buyer_wallet_id, seller_wallet_id, platform_id) if i]
            )
            replay = _purchase_replay(buyer, document, key)
            if replay is not None:
                return PurchaseResult(replay, False, wallets[buyer_wallet_id].balance)
            doc = Document.objects.get(pk=document.pk)
            if doc.status != Document.Status.READY:
                raise MarketRefused(_("This document cannot be bought now."))
            if doc.price == 0 or doc.is_managed_by(buyer):
                raise MarketRefused(_("You can download this document for free."))
            if expected_price is not None and expected_price != doc.price:
                raise MarketRefused(
                    _("The price changed to %(price)d coins; please confirm again."),
                    price=doc.price,
                )
            buyer_wallet = wallets[buyer_wallet_id]
            if buyer_wallet.balance < doc.price:
                raise InsufficientCoins(buyer_wallet.balance, doc.price)
            commission = doc.price * commission_pct // 100
            review_reason = sale_needs_review(buyer_wallet=buyer_wallet)
            purchase = Purchase.objects.create(
                buyer=buyer,
                document=doc,
                seller_id=doc.owner_id,
                price=doc.price,
                commission=commission,
                idempotency_key=key,
                review=Purchase.Review.FLAGGED if review_reason else Purchase.Review.NONE,
                review_reason=review_reason,
            )
            ledger.post(
                buyer_wallet, -doc.price, Kind.PURCHASE, document_id=doc.pk, purchase=purchase
            )
            if purchase.seller_share:
                ledger.post(
                    wallets[seller_wallet_id],
                    purchase.seller_share,
                    Kind.SALE,
                    document_id=doc.pk,
                    purchase=purchase,
                )
            if commission and platform_id is not None:
                ledger.post(
                    wallets[platform_id],
                    commission,
                    Kind.COMMISSION,
                    document_id=doc.pk,
                    purchase=purchase,
                )
            notify(
                doc.owner,
                market_kinds.SALE,
                url=reverse("market:earnings"),
                title=doc.title,
                coins=purchase.seller_share,
            )
            return PurchaseResult(purchase, True, buyer_wallet.balance)
    except IntegrityError:
        # Only possible when a racing request won (same key or same document):
        # answer as the retry would.
        replay = _purchase_replay(buyer, document, key)
        if replay is None:
            raise
        return PurchaseResult(replay, False, balance_of(buyer))


def _purchase_replay(buyer: User, document: Document, key: str) -> Purchase | None:
    by_key = Purchase.objects.filter(buyer_id=buyer.pk, idempotency_key=key).first()
    if by_key is not None:
        if by_key.document_id != document.pk:
            raise IdempotencyConflict(_("This idempotency key was used for another document."))
        return by_key
    return Purchase.objects.filter(
        buyer_id=buyer.pk, document_id=document.pk, refunded_at__isnull=True
    ).first()


def purchase_refund(*, purchase: Purchase, by: User, reason: str) -> Purchase:
    """An operator gives the buyer the coins back and takes them from the
    uploader and the site; the buyer loses access at once."""
    memo = ((reason or "").strip() or str(_("Refunded by an operator")))[:255]
    buyer_id = ledger.wallet_id_for_user(purchase.buyer_id)
    seller_id = ledger.wallet_id_for_user(purchase.seller_id)
    site_share = purchase.commission - purchase.vip_payout  # what the site kept (VIP: may be < 0)
    platform_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM) if site_share else None
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.refunded_at is not None:
            raise MarketRefused(_("This purchase was already refunded."))
        wallets = ledger.lock_wallets([i for i in (buyer_id, seller_id, platform_id) if i])
        seller_income = locked.seller_share + locked.vip_payout
        try:
            if seller_income:
                ledger.post(
                    wallets[seller_id],
                    -seller_income,
                    Kind.REFUND,
                    document_id=locked.document_id,
                    purchase=locked,
                    created_by=by,
                    memo=memo,
                )
            if site_share and platform_id is not None:
                ledger.post(
                    wallets[platform_id],
                    -site_share,
                    Kind.REFUND,
                    document_id=locked.document_id,
                    purchase=locked,
                    created_by=by,
                    memo=memo,
                )
        except InsufficientBalance as exc:
            raise MarketRefused(
                _("The uploader's balance (%(balance)d) cannot cover the refund."),
                balance=exc.balance,
            ) from None
        if locked.price:  # a free VIP download gives nothing back
            ledger.post(
                wallets[buyer_id],
                locked.price,
                Kind.REFUND,
                document_id=locked.document_id,
                purchase=locked,
                created_by=by,
                memo=memo,
            )
        locked.refunded_at = timezone.now()
        locked.refund_reason = memo
        locked.save(update_fields=["refunded_at", "refund_reason"])
    return locked
