"""``openwenku checks run [--all | --document ID ...]``: re-run every content
check (after the word list changed, for example); results are replaced."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openwenku.documents.models import Document
from openwenku.integrity import services


class Command(BaseCommand):
    help = "Re-run the content checks on converted documents (results are replaced)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("run", help="re-run every check")
        which = p.add_mutually_exclusive_group(required=True)
        which.add_argument("--all", action="store_true", help="every converted document")
        which.add_argument("--document", type=int, nargs="+", metavar="ID", help="these documents")
        p.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        documents = Document.objects.filter(status__in=services.CHECKED_STATUSES).order_by("pk")
        if opts["document"]:
            documents = Document.objects.filter(pk__in=opts["document"]).order_by("pk")
            missing = set(opts["document"]) - set(documents.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no such document: {', '.join(map(str, sorted(missing)))}")
        ids = list(documents.values_list("pk", flat=True))
        summary = {"checked": 0, "held": 0, "rejected": 0, "skipped": 0}
        for pk in self._progress(ids, quiet=opts["no_progress"]):
            document = Document.objects.filter(pk=pk).first()
            if document is None:
                continue
            outcome = services.integrity_recheck_all(document=document)
            summary[outcome] += 1
        self.stdout.write(
            f"documents checked: {summary['checked'] + summary['held'] + summary['rejected']}, "
            f"held: {summary['held']}, rejected: {summary['rejected']}, "
            f"skipped (not converted): {summary['skipped']}"
        )

    def _progress(self, ids: list[int], *, quiet: bool) -> Any:
        try:
            from tqdm import tqdm
        except ImportError:  # pragma: no cover - tqdm is a dependency
            tqdm = None
        if quiet:
            return ids
        if tqdm is not None:
            return tqdm(ids, desc="checks", unit="doc", file=self.stderr._out)
        return self._counter(ids)

    def _counter(self, ids: list[int]) -> Any:
        for n, pk in enumerate(ids, start=1):
            self.stderr.write(f"\r{n}/{len(ids)}", ending="")
            yield pk
        self.stderr.write("")
