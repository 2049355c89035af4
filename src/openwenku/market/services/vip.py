"""VIP membership: plans bought with coins (or granted after a money payment
by the payments app), and VIP downloads of priced documents.

- ``vip_buy``: a member pays a plan's coin price to the site's wallet; the
  membership runs ``plan.days`` more days from its current end (or from now).
- ``vip_grant``: the same extension without coins, once per
  ``(source, reference)``: the payments app calls it after an order is paid.
- ``vip_download``: during the plan, a member gets a priced document free or
  at the plan's discount, up to the plan's quota a day. It records a
  ``Purchase`` (``via_vip``) so the member keeps access like a buyer; the
  uploader is paid ``OPENWENKU_VIP_PAYOUT_PERCENT`` % of the price from the
  site's wallet, as sale income under the usual hold (and under review when
  the plan was bought mostly with the member's recent rewards).

Every change locks the member's wallet first (with the others it touches, in
``ledger.lock_wallets`` order), which serialises one member's VIP grants and
downloads: the daily quota is counted under that lock.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import Document

from .. import ledger
from ..models import LedgerEntry, Purchase, VipGrant, VipMembership, VipPlan, Wallet
from ..selectors import balance_of, vip_day_start, vip_used_today
from .errors import IdempotencyConflict, InsufficientCoins, MarketRefused
from .idempotency import clean_key
from .purchases import PurchaseResult
from .sales import sale_needs_review

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind
Source = VipGrant.Source
MAX_REFERENCE_LENGTH = 100  # the width of ``VipGrant.reference``


class VipUnavailable(MarketRefused):
    """No VIP download now (no plan, plan over, quota used up, or the site
    cannot pay the uploader): the member may still buy the document."""

    code = "vip_unavailable"
    status = 409


def _extend(user: User, plan: VipPlan, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Run the membership ``plan.days`` more days from its current end (or now).

    Call with the member's wallet locked."""
    membership = VipMembership.objects.select_for_update().filter(user_id=user.pk).first()
    length = dt.timedelta(days=plan.days)
    if membership is not None and membership.ends_at > now:
        start = membership.ends_at
        membership.plan = plan
        membership.ends_at = start + length
        membership.save(update_fields=["plan", "ends_at", "updated_at"])
    else:
        start = now
        if membership is None:
            VipMembership.objects.create(user=user, plan=plan, starts_at=now, ends_at=now + length)
        else:
            membership.plan = plan
            membership.starts_at = now
            membership.ends_at = now + length
            membership.save(update_fields=["plan", "starts_at", "ends_at", "updated_at"])
    return start, start + length


def _grant(
    *, user: User, plan: VipPlan, source: str, reference: str, coins: int, site_coins: int
) -> tuple[VipGrant, bool]:
    reference = (reference or "").strip()[:MAX_REFERENCE_LENGTH]
    if not reference:
        raise MarketRefused(_("A VIP grant needs a reference."))
    if source not in Source.values:
        raise ValueError(f"unknown VIP grant source {source!r}")
    member_id = ledger.wallet_id_for_user(user.pk)
    site_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM)
    try:
        with transaction.atomic():
            wallets = ledger.lock_wallets([member_id, site_id])
            existing = VipGrant.objects.filter(source=source, reference=reference).first()
            if existing is not None:
                if existing.user_id != user.pk or existing.plan_id != plan.pk:
                    raise IdempotencyConflict(_("This reference was used for another VIP grant."))
                return existing, False
            review_reason = ""
            if coins:
                wallet = wallets[member_id]
                if wallet.balance < coins:
                    raise InsufficientCoins(wallet.balance, coins)
                review_reason = sale_needs_review(buyer_wallet=wallet)
            now = timezone.now()
            start, end = _extend(user, plan, now)
            grant = VipGrant.objects.create(
                user=user,
                plan=plan,
                source=source,
                reference=reference,
                days=plan.days,
                coins=coins,
                review_reason=review_reason,
                starts_at=start,
                ends_at=end,
            )
            memo = f"{plan.name} ({source}:{reference})"
            if coins:
                ledger.post(wallets[member_id], -coins, Kind.VIP_PURCHASE, memo=memo)
            if coins or site_coins:
                ledger.post(wallets[site_id], coins or site_coins, Kind.VIP_PURCHASE, memo=memo)
            return grant, True
    except IntegrityError:
        # A racing call with the same reference won: answer as the retry would.
        existing = VipGrant.objects.filter(source=source, reference=reference).first()
        if existing is None:
            raise
        return existing, False


def vip_buy(*, user: User, plan: VipPlan, idempotency_key: str) -> tuple[VipGrant, bool]:
    """A member buys a plan with coins (paid to the site's wallet).

    Returns the grant and whether it is new; a retry with the same key moves
    nothing. Refused for a plan not on sale for coins or without the coins."""
    key = clean_key(idempotency_key)
    if not user.is_active:
        raise MarketRefused(_("This account is not active."))
    plan = VipPlan.objects.get(pk=plan.pk)
    if not plan.active or plan.price_coins <= 0:
        raise MarketRefused(_("This VIP plan is not sold for coins."))
    return _grant(
        user=user,
        plan=plan,
        source=Source.COINS,
        reference=f"{user.pk}:{key}",
        coins=plan.price_coins,
        site_coins=0,
    )


def vip_grant(
    member: User,
    plan: VipPlan,
    *,
    source: str,
    reference: str,
    site_coins: int | None = None,
) -> tuple[VipGrant, bool]:
    """Give ``member`` the plan's days (extending a running membership), once
    per ``(source, reference)``: a second call with the same pair returns the
    first grant and changes nothing (``created`` False).

    For the payments app after a paid order: ``source=VipGrant.Source.PAYMENT``
    (``"payment"``), ``reference`` = the order number. The site's wallet is
    credited ``site_coins`` (default: the plan's coin price for a payment, 0
    otherwise), the coins that will pay uploaders for the member's VIP
    downloads. An operator's gift: ``source="operator"``."""
    if site_coins is None:
        site_coins = plan.price_coins if source == Source.PAYMENT else 0
    if site_coins < 0:
        raise ValueError("site_coins must not be negative")
    return _grant(
        user=member, plan=plan, source=source, reference=reference, coins=0, site_coins=site_coins
    )


def _vip_review_reason(user: User, now: dt.datetime) -> str:
    """Why VIP downloads now need review: the running grant was bought with
    coins that were mostly the member's recent rewards (farmed payouts)."""
    flagged = (
        VipGrant.objects.filter(user_id=user.pk, starts_at__lte=now, ends_at__gt=now)
        .exclude(review_reason="")
        .values_list("review_reason", flat=True)
        .first()
    )
    return f"VIP plan bought with rewards: {flagged}"[:255] if flagged else ""


def vip_download(*, user: User, document: Document, idempotency_key: str) -> PurchaseResult:
    """A VIP member takes a priced document within today's quota.

    The member pays the plan's discounted price (often 0) to the site; the
    site pays the uploader ``OPENWENKU_VIP_PAYOUT_PERCENT`` % of the price. The
    resulting ``Purchase`` (``via_vip``) gives the member the document for
    good, like any purchase. Raises ``VipUnavailable`` when there is no VIP
    download to be had (the member may buy the document instead),
    ``InsufficientCoins`` for a discounted price above the balance."""
    key = clean_key(idempotency_key)
    member_id = ledger.wallet_id_for_user(user.pk)
    seller_id = ledger.wallet_id_for_user(document.owner_id)
    site_id = ledger.site_wallet_id(Wallet.Kind.PLATFORM)
    payout_pct = min(100, max(0, settings.OPENWENKU["VIP_PAYOUT_PERCENT"]))
    try:
        with transaction.atomic():
            wallets = ledger.lock_wallets([member_id, seller_id, site_id])
            replay = Purchase.objects.filter(buyer_id=user.pk, idempotency_key=key).first()
            if replay is None:
                replay = Purchase.objects.filter(
                    buyer_id=user.pk, document_id=document.pk, refunded_at__isnull=True
                ).first()
            elif replay.document_id != document.pk:
                raise IdempotencyConflict(_("This idempotency key was used for another document."))
            if replay is not None:
                return PurchaseResult(replay, False, wallets[member_id].balance)
            doc = Document.objects.get(pk=document.pk)
            if doc.status != Document.Status.READY:
                raise MarketRefused(_("This document cannot be bought now."))
            if doc.price == 0 or doc.is_managed_by(user):
                raise MarketRefused(_("You can download this document for free."))
            now = timezone.now()
            membership = (
                VipMembership.objects.select_related("plan").filter(user_id=user.pk).first()
            )
            if membership is None or membership.ends_at <= now:
                raise VipUnavailable(_("You have no VIP membership running."))
            plan = membership.plan
            used = vip_used_today(user, since=vip_day_start())
            if used >= plan.downloads_per_day:
                raise VipUnavailable(
                    _(
                        "You used all %(n)d VIP downloads of today; "
                        "you can still buy this document with coins."
                    ),
                    n=plan.downloads_per_day,
                )
            paid = plan.price_for(doc.price)
            payout = doc.price * payout_pct // 100
            member = wallets[member_id]
            if member.balance < paid:
                raise InsufficientCoins(member.balance, paid)
            site = wallets[site_id]
            if site.balance + paid < payout:
                raise VipUnavailable(
                    _("VIP downloads are paused for now; you can buy this document with coins.")
                )
            review_reason = _vip_review_reason(user, now)
            if not review_reason and paid:
                review_reason = sale_needs_review(buyer_wallet=member)
            purchase = Purchase.objects.create(
                buyer=user,
                document=doc,
                seller_id=doc.owner_id,
                price=paid,
                commission=paid,
                idempotency_key=key,
                via_vip=True,
                vip_payout=payout,
                review=Purchase.Review.FLAGGED if review_reason else Purchase.Review.NONE,
                review_reason=review_reason,
            )
            if paid:
                ledger.post(member, -paid, Kind.PURCHASE, document_id=doc.pk, purchase=purchase)
                ledger.post(site, paid, Kind.COMMISSION, document_id=doc.pk, purchase=purchase)
            if payout:
                ledger.post(site, -payout, Kind.VIP_PAYOUT, document_id=doc.pk, purchase=purchase)
                seller = wallets[seller_id]
                ledger.post(seller, payout, Kind.VIP_PAYOUT, document_id=doc.pk, purchase=purchase)
            return PurchaseResult(purchase, True, member.balance)
    except IntegrityError:
        replay = Purchase.objects.filter(buyer_id=user.pk, idempotency_key=key).first()
        if replay is None:
            raise
        return PurchaseResult(replay, False, balance_of(user))
