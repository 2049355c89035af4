"""``openwenku coins``: grant, deduct, show a balance, audit the ledger."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum

from openwenku.market import services
from openwenku.market.models import LedgerEntry, Wallet
from openwenku.market.selectors import balance_of, earned_available

if TYPE_CHECKING:
    from openwenku.accounts.types import User


class Command(BaseCommand):
    help = "Grant or deduct coins (with a reason), show a balance, or audit the ledger."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for name, text in (("grant", "add coins"), ("deduct", "take coins away")):
            p = sub.add_parser(name, help=f"{text} (a ledger entry with a reason)")
            p.add_argument("user", help="user name")
            p.add_argument("amount", type=int, help="coins (a positive number)")
            p.add_argument("--reason", required=True, help="why (kept in the ledger)")
            p.add_argument("--by", default="", help="operator user name to record")
        p = sub.add_parser("balance", help="show a member's balance")
        p.add_argument("user")
        sub.add_parser("audit", help="check every wallet equals the sum of its entries")

    def _user(self, username: str) -> User:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no such user: {username}")
        return user

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action in ("grant", "deduct"):
            if opts["amount"] <= 0:
                raise CommandError("amount must be a positive number")
            user = self._user(opts["user"])
            by = self._user(opts["by"]) if opts["by"] else None
            amount = opts["amount"] if action == "grant" else -opts["amount"]
            try:
                entry = services.coins_grant(user=user, amount=amount, reason=opts["reason"], by=by)
            except services.MarketRefused as exc:
                raise CommandError(exc.message) from None
            self.stdout.write(f"{user.username}: {entry.amount:+d} → balance {entry.balance_after}")
        elif action == "balance":
            user = self._user(opts["user"])
            self.stdout.write(
                f"{user.username}: balance {balance_of(user)}, "
                f"withdrawable {earned_available(user)}"
            )
        else:
            bad = 0
            sums = dict(
                LedgerEntry.objects.values_list("wallet_id").annotate(s=Sum("amount")).order_by()
            )
            for wallet in Wallet.objects.all():
                total = sums.get(wallet.pk, 0)
                if total != wallet.balance or wallet.balance < 0:
                    bad += 1
                    self.stderr.write(f"wallet {wallet.pk}: balance {wallet.balance} ≠ {total}")
            if bad:
                raise CommandError(f"{bad} wallet(s) disagree with the ledger")
            self.stdout.write(f"ok: {len(sums)} wallet(s) with entries agree with the ledger")
