"""Coins in and out of a member's wallet outside a sale: the one entry point
for coins coming in (grants, rewards, later recharges by a payment provider)
and an operator's grants and deductions, each with a reason in the ledger."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .. import ledger
from ..ledger import InsufficientBalance
from ..models import LedgerEntry
from .errors import MarketRefused

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind


def coins_add(
    *,
    user: User,
    amount: int,
    kind: str = Kind.GRANT,
    memo: str = "",
    created_by: User | None = None,
    document_id: int | None = None,
) -> LedgerEntry:
    """The one entry point for coins coming in: grants, rewards, and recharges
    by a payment provider later."""
    if amount <= 0:
        raise MarketRefused(_("The amount must be a positive number of coins."))
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        return ledger.post(
            wallet, amount, kind, memo=memo, created_by=created_by, document_id=document_id
        )


def coins_grant(*, user: User, amount: int, reason: str, by: User | None = None) -> LedgerEntry:
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
                _("Cannot deduct %(amount)d coins: the balance is %(balance)d."),
                amount=-amount,
                balance=exc.balance,
            ) from None
