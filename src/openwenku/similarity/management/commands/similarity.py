"""``openwenku similarity rebuild [--missing] [--document ID ...]``: fingerprint
documents for the near-duplicate index (after an upgrade that changed the
signature, or to add documents converted before the index existed)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from openwenku.similarity import services


class Command(BaseCommand):
    help = "Fingerprint converted documents for the near-duplicate index."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("rebuild", help="fingerprint every converted document again")
        p.add_argument(
            "--missing", action="store_true", help="only documents without a current fingerprint"
        )
        p.add_argument("--document", type=int, nargs="+", metavar="ID", help="only these documents")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        total = (
            len(opts["document"])
            if opts["document"]
            else services.pending_count(only_missing=opts["missing"])
        )
        with tqdm(
            total=total,
            unit="doc",
            desc="fingerprints",
            disable=opts["no_progress"],
            file=self.stderr,
        ) as bar:
            stats = services.rebuild(
                only_missing=opts["missing"], document_ids=opts["document"], progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(f"fingerprinted {stats['fingerprinted']}, failed {stats['failed']}")
        )
