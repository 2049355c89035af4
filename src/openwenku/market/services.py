"""Changes of coins: grants, purchases, refunds, rewards, sign-in, withdrawals,
downloads and pricing. Each is one transaction; wallets are locked through
``ledger.lock_wallets`` (ascending id) after any other row the service locks."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from openwenku.documents.models import Document

from . import ledger
from .ledger import InsufficientBalance
from .models import (
    DocumentDay,
    Download,
    LedgerEntry,
    PricingLock,
    Purchase,
    RewardedFile,
    SignIn,
    Wallet,
    Withdrawal,
)
from .selectors import _withdrawable, market_settings

log = logging.getLogger(__name__)
Kind = LedgerEntry.Kind


class MarketRefused(Exception):
    """A refusal with a message for the member."""

    code = "refused"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InsufficientCoins(MarketRefused):
    code = "insufficient_balance"

    def __init__(self, balance: int, price: int):
        super().__init__(
            _("Not enough coins: your balance is %(balance)d, this costs %(price)d.")
            % {"balance": balance, "price": price}
        )
        self.balance = balance
        self.price = price


class IdempotencyConflict(MarketRefused):
    code = "idempotency_conflict"


class DownloadLimitReached(MarketRefused):
    code = "download_limit"


class AlreadySignedIn(MarketRefused):
    code = "already_signed_in"


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


def _clean_key(key: str | None) -> str:
    key = (key or "").strip()[:64]
    if not key:
        raise MarketRefused(_("The request has no idempotency key."))
    return key


# --- Coins in and out --------------------------------------------------------------


def coins_add(
    *,
    user,
    amount: int,
    kind: str = Kind.GRANT,
    memo: str = "",
    created_by=None,
    document_id: int | None = None,
) -> LedgerEntry:
    """The one entry point for coins coming in: grants, rewards, and recharges
    by a payment provider later."""
    if amount <= 0:
        raise ValueError("coins_add takes a positive amount")
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        return ledger.post(
            wallet, amount, kind, memo=memo, created_by=created_by, document_id=document_id
        )


def coins_grant(*, user, amount: int, reason: str, by=None) -> LedgerEntry:
    """An operator's grant (positive) or deduction (negative), with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise MarketRefused(_("Give a reason."))
    if amount == 0:
        raise MarketRefused(_("The amount must not be zero."))
    if amount > 0:
        return coins_add(user=user, amount=amount, kind=Kind.GRANT, memo=reason, created_by=by)
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        try:
            return ledger.post(wallet, amount, Kind.DEDUCTION, memo=reason, created_by=by)
        except InsufficientBalance as exc:
            raise MarketRefused(
                _("Cannot deduct %(amount)d coins: the balance is %(balance)d.")
                % {"amount": -amount, "balance": exc.balance}
            ) from None


# --- Purchases ----------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseResult:
    purchase: Purchase
    created: bool
    balance: int


def purchase_create(
    *, buyer, document: Document, idempotency_key: str, expected_price: int | None = None
) -> PurchaseResult:
    """Buy a document: debit the buyer, credit the uploader (less commission)
    and the site (commission), record the purchase — all or nothing.

    A retry with the same key returns the same purchase and moves nothing; a
    document already bought is never charged again.
    """
    key = _clean_key(idempotency_key)
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
                    _("The price changed to %(price)d coins; please confirm again.")
                    % {"price": doc.price}
                )
            buyer_wallet = wallets[buyer_wallet_id]
            if buyer_wallet.balance < doc.price:
                raise InsufficientCoins(buyer_wallet.balance, doc.price)
            commission = doc.price * commission_pct // 100
            purchase = Purchase.objects.create(
                buyer=buyer,
                document=doc,
                seller_id=doc.owner_id,
                price=doc.price,
                commission=commission,
                idempotency_key=key,
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
            if commission:
                ledger.post(
                    wallets[platform_id],
                    commission,
                    Kind.COMMISSION,
                    document_id=doc.pk,
                    purchase=purchase,
                )
            return PurchaseResult(purchase, True, buyer_wallet.balance)
    except IntegrityError:
        # Only possible when a racing request won (same key or same document):
        # answer as the retry would.
        replay = _purchase_replay(buyer, document, key)
        if replay is None:
            raise
        from .selectors import balance_of

        return PurchaseResult(replay, False, balance_of(buyer))


def _purchase_replay(buyer, document: Document, key: str) -> Purchase | None:
    by_key = Purchase.objects.filter(buyer_id=buyer.pk, idempotency_key=key).first()
    if by_key is not None:
        if by_key.document_id != document.pk:
            raise IdempotencyConflict(_("This idempotency key was used for another document."))
        return by_key
    return Purchase.objects.filter(
        buyer_id=buyer.pk, document_id=document.pk, refunded_at__isnull=True
    ).first()


def purchase_refund(*, purchase: Purchase, by, reason: str) -> Purchase:
    """An operator gives the buyer the coins back and takes them from the
    uploader and the site; the buyer loses access at once."""
    reason = (reason or "").strip() or _("Refunded by an operator")
    buyer_id = ledger.wallet_id_for_user(purchase.buyer_id)
    seller_id = ledger.wallet_id_for_user(purchase.seller_id)
    platform_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM) if purchase.commission else None
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.refunded_at is not None:
            raise MarketRefused(_("This purchase was already refunded."))
        wallets = ledger.lock_wallets([i for i in (buyer_id, seller_id, platform_id) if i])
        memo = reason[:255]
        try:
            if locked.seller_share:
                ledger.post(
                    wallets[seller_id],
                    -locked.seller_share,
                    Kind.REFUND,
                    document_id=locked.document_id,
                    purchase=locked,
                    created_by=by,
                    memo=memo,
                )
            if locked.commission:
                ledger.post(
                    wallets[platform_id],
                    -locked.commission,
                    Kind.REFUND,
                    document_id=locked.document_id,
                    purchase=locked,
                    created_by=by,
                    memo=memo,
                )
        except InsufficientBalance as exc:
            raise MarketRefused(
                _("The uploader's balance (%(balance)d) cannot cover the refund.")
                % {"balance": exc.balance}
            ) from None
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


# --- Downloads and statistics ---------------------------------------------------------


def _day_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def download_record(*, user, document: Document, ip: str | None) -> Download:
    """Count one download, within the daily caps per member and per address."""
    settings = market_settings()
    member = user if user is not None and user.is_authenticated else None
    if not (member and member.is_staff):
        since = _day_start()
        cap = settings.downloads_per_user_per_day
        if (
            member
            and cap
            and Download.objects.filter(user=member, created_at__gte=since).count() >= cap
        ):
            raise DownloadLimitReached(
                _("You reached today's limit of %(n)d downloads; try again tomorrow.") % {"n": cap}
            )
        cap = settings.downloads_per_ip_per_day
        if ip and cap and Download.objects.filter(ip=ip, created_at__gte=since).count() >= cap:
            raise DownloadLimitReached(
                _("This network reached today's limit of %(n)d downloads; try again tomorrow.")
                % {"n": cap}
            )
    row = Download.objects.create(user=member, document=document, ip=ip or None)
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
    _bump_day(document.pk, "downloads")
    return row


def stats_record_view(*, document_id: int) -> None:
    _bump_day(document_id, "views")


def _bump_day(document_id: int, field: str) -> None:
    day = timezone.localdate()
    rows = DocumentDay.objects.filter(document_id=document_id, day=day)
    if not rows.update(**{field: F(field) + 1}):
        DocumentDay.objects.bulk_create(
            [DocumentDay(document_id=document_id, day=day)], ignore_conflicts=True
        )
        rows.update(**{field: F(field) + 1})


# --- Rewards -------------------------------------------------------------------------


def upload_reward_grant(*, document_id: int) -> LedgerEntry | None:
    """Reward the uploader of a newly published document, once per file ever.

    The file's SHA-256 is remembered for good, so deleting and uploading the
    same file again (or a copy of someone else's) earns nothing.
    """
    document = Document.objects.filter(pk=document_id, status=Document.Status.READY).first()
    if document is None:
        return None
    reward = market_settings().upload_reward
    wallet_id = ledger.wallet_id_for_user(document.owner_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                RewardedFile.objects.create(sha256=document.sha256, document_id=document.pk)
        except IntegrityError:
            return None  # seen before (or this document was already rewarded)
        if Document.objects.filter(sha256=document.sha256, pk__lt=document.pk).exists():
            return None
        if not reward:
            return None
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        return ledger.post(
            wallet, reward, Kind.UPLOAD_REWARD, document_id=document.pk, memo=document.title
        )


def signin_claim(*, user) -> int:
    """The daily sign-in (签到): once a local day, rewarded with coins."""
    reward = market_settings().signin_reward
    day = timezone.localdate()
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SignIn.objects.create(user=user, day=day, reward=reward)
        except IntegrityError:
            raise AlreadySignedIn(_("You have already signed in today.")) from None
        if reward:
            wallet = ledger.lock_wallets([wallet_id])[wallet_id]
            ledger.post(wallet, reward, Kind.SIGNIN_REWARD, memo=day.isoformat())
    return reward


# --- Withdrawals -----------------------------------------------------------------------


@dataclass(frozen=True)
class WithdrawalResult:
    withdrawal: Withdrawal
    created: bool


def withdrawal_request(
    *, user, amount: int, account: str, idempotency_key: str
) -> WithdrawalResult:
    """Hold ``amount`` earned coins at once for an operator to pay out."""
    key = _clean_key(idempotency_key)
    account = (account or "").strip()[:200]
    minimum = market_settings().min_withdrawal
    if not account:
        raise MarketRefused(_("Say where the coins should be paid."))
    if amount < max(1, minimum):
        raise MarketRefused(_("The minimum withdrawal is %(n)d coins.") % {"n": max(1, minimum)})
    member_id = ledger.wallet_id_for_user(user.pk)
    held_id = ledger.site_wallet_id(Wallet.Kind.HELD)
    with transaction.atomic():
        wallets = ledger.lock_wallets([member_id, held_id])
        existing = Withdrawal.objects.filter(user_id=user.pk, idempotency_key=key).first()
        if existing is not None:
            return WithdrawalResult(existing, False)
        available = _withdrawable(wallets[member_id])
        if amount > available:
            raise MarketRefused(
                _("You can withdraw at most %(n)d coins (earnings from sales).") % {"n": available}
            )
        withdrawal = Withdrawal.objects.create(
            user=user, amount=amount, account=account, idempotency_key=key
        )
        ledger.post(wallets[member_id], -amount, Kind.WITHDRAWAL_HOLD, withdrawal=withdrawal)
        ledger.post(wallets[held_id], amount, Kind.WITHDRAWAL_HOLD, withdrawal=withdrawal)
    return WithdrawalResult(withdrawal, True)


def _decide(withdrawal: Withdrawal, by, note: str, approve: bool) -> Withdrawal:
    if by is None or not by.is_staff:
        raise PermissionDenied
    member_id = ledger.wallet_id_for_user(withdrawal.user_id)
    held_id = ledger.site_wallet_id(Wallet.Kind.HELD)
    with transaction.atomic():
        locked = Withdrawal.objects.select_for_update().get(pk=withdrawal.pk)
        if locked.status != Withdrawal.Status.PENDING:
            raise MarketRefused(_("This withdrawal was already decided."))
        wallets = ledger.lock_wallets([member_id, held_id])
        memo = (note or "").strip()[:255]
        if approve:
            ledger.post(
                wallets[held_id],
                -locked.amount,
                Kind.WITHDRAWAL_PAID,
                withdrawal=locked,
                created_by=by,
                memo=memo,
            )
            locked.status = Withdrawal.Status.APPROVED
        else:
            ledger.post(
                wallets[held_id],
                -locked.amount,
                Kind.WITHDRAWAL_RETURNED,
                withdrawal=locked,
                created_by=by,
                memo=memo,
            )
            ledger.post(
                wallets[member_id],
                locked.amount,
                Kind.WITHDRAWAL_RETURNED,
                withdrawal=locked,
                created_by=by,
                memo=memo,
            )
            locked.status = Withdrawal.Status.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.note = memo
        locked.save(update_fields=["status", "decided_at", "decided_by", "note"])
    return locked


def withdrawal_approve(*, withdrawal: Withdrawal, by, note: str = "") -> Withdrawal:
    """The operator paid the member outside the site: the held coins leave it."""
    return _decide(withdrawal, by, note, approve=True)


def withdrawal_reject(*, withdrawal: Withdrawal, by, note: str = "") -> Withdrawal:
    """The held coins go back to the member."""
    return _decide(withdrawal, by, note, approve=False)


# --- Pricing ---------------------------------------------------------------------------


def pricing_set(
    *,
    document: Document,
    by,
    price: int,
    preview_pages: int | None,
    lock: bool | None = None,
    reason: str = "",
) -> Document:
    """The uploader (or an operator) sets the price and the free pages.

    An operator may lock them: the uploader then cannot change them.
    """
    from openwenku.documents.services import document_update_pricing

    if not document.is_managed_by(by):
        raise PermissionDenied
    locked = PricingLock.objects.filter(document_id=document.pk).exists()
    if locked and not by.is_staff:
        raise MarketRefused(_("An operator fixed this document's price; it cannot be changed."))
    with transaction.atomic():
        document = document_update_pricing(
            document=document, price=price, preview_pages=preview_pages
        )
        if by.is_staff and lock is True:
            PricingLock.objects.update_or_create(
                document=document, defaults={"locked_by": by, "reason": reason[:255]}
            )
        elif by.is_staff and lock is False:
            PricingLock.objects.filter(document=document).delete()
    return document
