"""The sensitive-word list as a file.

``openwenku words import FILE [--category C] [--replace]``,
``openwenku words export [FILE]``.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openwenku.integrity import services


class Command(BaseCommand):
    help = "Import or export the sensitive-word list (one word a line, optional category)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser(
            "import",
            help="import a UTF-8 file: 'word', 'word<TAB>category' or 'word,category' a line; "
            "all or nothing",
        )
        p.add_argument("file", help="the file ('-' for standard input)")
        p.add_argument("--category", help="category of lines that name none")
        p.add_argument(
            "--replace", action="store_true", help="delete the words that are not in the file"
        )
        p = sub.add_parser("export", help="write the list as 'word<TAB>category' lines")
        p.add_argument("file", nargs="?", help="the file (default: standard output)")

    def handle(self, *args: Any, action: str, **opts: Any) -> None:
        if action == "import":
            name = opts["file"]
            try:
                raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
                text = raw.decode("utf-8-sig")
            except OSError as error:
                raise CommandError(f"cannot read {name}: {error}") from None
            except UnicodeDecodeError:
                raise CommandError(f"{name} is not UTF-8 text") from None
            try:
                result = services.words_import(
                    text=text, category=opts["category"], replace=opts["replace"]
                )
            except services.WordListInvalid as error:
                for line, message in error.errors:
                    self.stderr.write(f"{name}:{line}: {message}")
                raise CommandError(
                    f"{len(error.errors)} bad line(s); nothing was imported"
                ) from None
            self.stdout.write(
                f"added {result.added}, moved {result.changed}, deleted {result.removed}, "
                f"unchanged {result.unchanged}"
            )
        else:
            text = services.words_export()
            if opts["file"]:
                Path(opts["file"]).write_text(text, encoding="utf-8")
                self.stdout.write(f"{text.count(chr(10))} word(s) written to {opts['file']}")
            else:
                self.stdout.write(text, ending="")
