"""``openwenku payments reconcile [--minutes N]``: settle unpaid orders with the providers."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openwenku.payments import services


class Command(BaseCommand):
    help = "Reconcile payment orders with the providers."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("reconcile", help="query orders unpaid after N minutes")
        p.add_argument("--minutes", type=int, default=10)

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if opts["minutes"] < 0:
            raise CommandError("--minutes must not be negative")
        result = services.reconcile(minutes=opts["minutes"])
        for label, numbers in (
            ("credited", result.credited),
            ("closed", result.closed),
            ("flagged", result.flagged),
            ("waiting", result.waiting),
            ("errors", result.errors),
        ):
            self.stdout.write(f"{label}: {len(numbers)}")
            for n in numbers:
                self.stdout.write(f"  {n}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} order(s) could not be reconciled")
