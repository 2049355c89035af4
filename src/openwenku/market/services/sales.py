"""Sale income on hold: when a sale may be paid out, and an operator's review.

A seller's income from a sale is spendable at once but withdrawable only
after ``OPENWENKU_SALE_HOLD_DAYS`` (a refund or a fraud found in that time
can still take it back). A sale paid for mostly with coins the buyer got as
rewards during that period (sock-puppet farming: the buyer's sign-ins and
uploads turned into an accomplice's cash) is flagged for review when it is
made, and its income stays out of the withdrawable balance until an
operator clears it (or refunds the purchase).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import Forbidden

from ..models import APPROVE_WITHDRAWAL, LedgerEntry, Purchase, Wallet
from ..selectors import sale_hold
from .errors import MarketRefused

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind


def sale_needs_review(*, buyer_wallet: Wallet) -> str:
    """Why a purchase about to be paid from this (locked) wallet needs review, or "".

    The share of the balance that came from rewards granted within the hold
    period (less any taken back) is compared with the configured percent.
    """
    balance = buyer_wallet.balance
    if balance <= 0:
        return ""
    since = timezone.now() - sale_hold()
    recent = buyer_wallet.entries.filter(created_at__gte=since)
    rewards = recent.filter(kind__in=(Kind.UPLOAD_REWARD, Kind.SIGNIN_REWARD)).aggregate(
        n=Coalesce(Sum("amount"), 0)
    )["n"]
    rewards += recent.filter(kind=Kind.REWARD_CLAWBACK).aggregate(n=Coalesce(Sum("amount"), 0))["n"]
    share = min(max(rewards, 0), balance) * 100 // balance
    if share > settings.OPENWENKU["SALE_REVIEW_REWARD_PERCENT"]:
        days = sale_hold().days
        return f"{share}% of the buyer's {balance} coins were rewards of the last {days} days"
    return ""


def sale_review_clear(*, purchase: Purchase, by: User | None, note: str = "") -> Purchase:
    """An operator found a flagged sale genuine: its income follows the normal hold."""
    if by is None or not by.has_perm(APPROVE_WITHDRAWAL):
        raise Forbidden(_("Only an operator may clear a sale."))
    with transaction.atomic():
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.review != Purchase.Review.FLAGGED:
            raise MarketRefused(_("This sale is not waiting for review."))
        locked.review = Purchase.Review.CLEARED
        locked.reviewed_by = by
        locked.reviewed_at = timezone.now()
        if note:
            locked.review_reason = f"{locked.review_reason} / {note.strip()}"[:255]
        locked.save(update_fields=["review", "reviewed_by", "reviewed_at", "review_reason"])
    return locked
