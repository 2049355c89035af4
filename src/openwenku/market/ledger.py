"""Posting to the ledger: wallets, locks in a fixed order, entries.

Every change of coins goes through ``post()`` inside a transaction that first
locked the wallets it touches with ``lock_wallets()``. Locks are always taken
in ascending wallet id, in one query, so two transactions never wait on each
other in opposite orders (no deadlock on PostgreSQL). SQLite runs IMMEDIATE
transactions, which serialise writers outright.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from .models import LedgerEntry, Purchase, Wallet, Withdrawal

if TYPE_CHECKING:
    from openwenku.accounts.types import User


class InsufficientBalance(Exception):
    """Posting would take a wallet below zero. Internal: services turn it
    into a refusal with a message for the member."""

    def __init__(self, balance: int, needed: int) -> None:
        super().__init__(f"balance {balance} < {needed}")
        self.balance = balance
        self.needed = needed


def _ensure(rows: list[Wallet]) -> None:
    # ON CONFLICT DO NOTHING: two requests creating the same wallet both succeed.
    Wallet.objects.bulk_create(rows, ignore_conflicts=True)


def wallet_id_for_user(user_id: int) -> int:
    wallet_id = Wallet.objects.filter(user_id=user_id).values_list("pk", flat=True).first()
    if wallet_id is None:
        _ensure([Wallet(user_id=user_id, kind=Wallet.Kind.MEMBER)])
        wallet_id = Wallet.objects.values_list("pk", flat=True).get(user_id=user_id)
    return wallet_id


def site_wallet_id(kind: str) -> int:
    wallet_id = Wallet.objects.filter(kind=kind).values_list("pk", flat=True).first()
    if wallet_id is None:
        _ensure([Wallet(kind=kind)])
        wallet_id = Wallet.objects.values_list("pk", flat=True).get(kind=kind)
    return wallet_id


def lock_wallets(wallet_ids: Iterable[int]) -> dict[int, Wallet]:
    """Lock the wallets (ascending id, one statement) and return them by id."""
    assert transaction.get_connection().in_atomic_block, "lock wallets inside a transaction"
    ids = sorted(set(wallet_ids))
    wallets = list(Wallet.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return {w.pk: w for w in wallets}


def post(
    wallet: Wallet,
    amount: int,
    kind: str,
    *,
    document_id: int | None = None,
    purchase: Purchase | None = None,
    withdrawal: Withdrawal | None = None,
    created_by: User | None = None,
    memo: str = "",
) -> LedgerEntry:
    """Append one entry to a locked wallet; refuse to go below zero.

    The database applies the entry to ``wallet.balance`` (trigger) and checks
    ``balance_after``; we keep the in-memory wallet in step.
    """
    if amount == 0:
        raise ValueError("a ledger entry moves at least one coin")
    after = wallet.balance + amount
    if after < 0:
        raise InsufficientBalance(wallet.balance, -amount)
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                wallet=wallet,
                amount=amount,
                balance_after=after,
                kind=kind,
                document_id=document_id,
                purchase=purchase,
                withdrawal=withdrawal,
                created_by=created_by,
                memo=memo[:255],
            )
    except IntegrityError:
        # The database's view differs from ours (a racing writer that did not
        # lock): re-read, and let the caller see a clean refusal.
        wallet.refresh_from_db(fields=["balance"])
        raise
    wallet.balance = after
    return entry
