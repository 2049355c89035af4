"""``openwenku backup DEST``: the database and the files, consistent with each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from openwenku.core import backup
from openwenku.core.backup import BackupError


def progress_bars(enabled: bool, bars: list[tqdm]) -> Any:
    """A factory of tqdm progress bars (bytes), or None when they are off."""
    if not enabled:
        return None

    def make(total: int, label: str) -> Any:
        bar = tqdm(total=total, unit="B", unit_scale=True, desc=label, leave=False)
        bars.append(bar)
        return bar.update

    return make


class Command(BaseCommand):
    help = (
        "Back up the site into DEST (a new or empty folder): a snapshot of the "
        "database, then the files it refers to, with a manifest of their hashes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path)
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, dest: Path, no_progress: bool, **options: Any) -> None:
        bars: list[tqdm] = []
        try:
            report = backup.backup(dest, progress_factory=progress_bars(not no_progress, bars))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars:
                bar.close()
        m = report.manifest
        self.stdout.write(
            f"Backed up the {m['database']['vendor']} database "
            f"({m['database']['size']} bytes) and {m['file_count']} files "
            f"({m['total_bytes']} bytes) into {dest}"
        )
        if report.missing_files:
            raise CommandError(
                f"{len(report.missing_files)} file(s) the database refers to were deleted "
                f"while the backup ran (listed in the manifest): {report.missing_files[:5]}"
            )
