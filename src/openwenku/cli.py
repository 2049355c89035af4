"""The ``openwenku`` console command: every Django management command, plus
``serve``, ``worker`` and ``import`` (management commands of this project)."""

import os
import sys
from pathlib import Path

from openwenku import datadir


def _read_dotenv() -> None:
    """The settings read ``.env`` too; the data folder must be made where they look."""
    import environ

    environ.Env.read_env(Path.cwd() / ".env", overwrite=False)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openwenku.settings")
    _read_dotenv()
    datadir.ensure()
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "openwenku"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
