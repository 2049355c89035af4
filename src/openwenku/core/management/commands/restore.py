"""``openwenku restore SRC``: a backup into an empty site (or, forced, over one)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from openwenku.core import backup
from openwenku.core.backup import BackupError

from .backup import progress_bars


class Command(BaseCommand):
    help = (
        "Restore a backup made by `openwenku backup`: every hash is checked first; "
        "a site that already has a database or files is refused unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="overwrite this site's database and files"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, src: Path, force: bool, no_progress: bool, **options: Any) -> None:
        bars: list[tqdm] = []
        try:
            manifest = backup.restore(
                src, force=force, progress_factory=progress_bars(not no_progress, bars)
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(
            f"Restored the {manifest['database']['vendor']} database and "
            f"{manifest['file_count']} files from {src} (backup of {manifest['created_at']})"
        )
