"""Withdrawals: a member asks for earned coins to be paid out, an operator
pays them outside the site (or refuses).

The coins are held at once in the site's HELD wallet, so they can be neither
spent nor asked for twice while the request waits; the operator's decision
either lets them leave the site or returns them to the member.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import Penalty
from openwenku.accounts.selectors import penalty_in_force
from openwenku.audit.models import AuditEntry
from openwenku.audit.services import audit_record
from openwenku.core.errors import Forbidden
from openwenku.notifications.services import notify

from .. import kinds as market_kinds
from .. import ledger
from ..models import LedgerEntry, Wallet, Withdrawal
from ..selectors import _withdrawable, market_settings
from .errors import MarketRefused
from .idempotency import clean_key

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind
MAX_ACCOUNT_LENGTH = 200  # the width of ``Withdrawal.account``


@dataclass(frozen=True)
class WithdrawalResult:
    withdrawal: Withdrawal
    created: bool


def withdrawal_request(
    *, user: User, amount: int, account: str, idempotency_key: str
) -> WithdrawalResult:
    """Hold ``amount`` earned coins at once for an operator to pay out."""
    key = clean_key(idempotency_key)
    freeze = penalty_in_force(user, Penalty.Kind.WITHDRAWAL_FREEZE)
    if freeze is not None:
        end = (
            timezone.localtime(freeze.ends_at).strftime("%Y-%m-%d %H:%M")
            if freeze.ends_at
            else _("permanent")
        )
        raise MarketRefused(
            _("Your withdrawals are frozen until %(end)s: %(reason)s."),
            code="withdrawal_frozen",
            status=403,
            end=end,
            reason=freeze.reason,
        )
    account = (account or "").strip()[:MAX_ACCOUNT_LENGTH]
    minimum = max(1, market_settings().min_withdrawal)
    if not account:
        raise MarketRefused(_("Say where the coins should be paid."))
    if amount < minimum:
        raise MarketRefused(_("The minimum withdrawal is %(n)d coins."), n=minimum)
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
                _("You can withdraw at most %(n)d coins (earnings from sales)."), n=available
            )
        withdrawal = Withdrawal.objects.create(
            user=user, amount=amount, account=account, idempotency_key=key
        )
        ledger.post(wallets[member_id], -amount, Kind.WITHDRAWAL_HOLD, withdrawal=withdrawal)
        ledger.post(wallets[held_id], amount, Kind.WITHDRAWAL_HOLD, withdrawal=withdrawal)
    return WithdrawalResult(withdrawal, True)


def withdrawal_approve(*, withdrawal: Withdrawal, by: User, note: str = "") -> Withdrawal:
    """The operator paid the member outside the site: the held coins leave it."""
    return _decide(withdrawal, by, note, approve=True)


def withdrawal_reject(*, withdrawal: Withdrawal, by: User, note: str = "") -> Withdrawal:
    """The held coins go back to the member."""
    return _decide(withdrawal, by, note, approve=False)


def _decide(withdrawal: Withdrawal, by: User | None, note: str, approve: bool) -> Withdrawal:
    if by is None or not by.has_perm("market.approve_withdrawal"):  # models.APPROVE_WITHDRAWAL
        raise Forbidden(_("Only an operator may decide a withdrawal."))
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
        audit_record(
            AuditEntry.Action.WITHDRAWAL_APPROVED
            if approve
            else AuditEntry.Action.WITHDRAWAL_REJECTED,
            actor=by,
            member=locked.user,
            reason=memo,
            withdrawal=locked.pk,
            amount=locked.amount,
        )
        notify(
            locked.user,
            market_kinds.WITHDRAWAL_APPROVED if approve else market_kinds.WITHDRAWAL_REJECTED,
            url=reverse("market:wallet"),
            amount=locked.amount,
            note=memo or "-",
        )
    return locked
