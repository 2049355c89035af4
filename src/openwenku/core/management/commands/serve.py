"""``openwenku serve``: migrate, then run the web server and a conversion worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from openwenku.core.services import operator_ensure


class Command(BaseCommand):
    help = "Migrate, then run the web server and a conversion worker (embedded mode)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("OPENWENKU_BIND", "127.0.0.1:8000"),
            help="address:port to listen on (default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--web-workers", type=int, default=2, help="web server processes (default 2)"
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="run the web server only (workers run elsewhere)",
        )

    def handle(
        self, *args: Any, bind: str, web_workers: int, no_worker: bool, **options: Any
    ) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Documents published before search existed (or while indexing failed).
        with open(os.devnull, "w") as quiet:
            call_command("reindex", missing=True, no_progress=True, stdout=quiet)
        self._announce_operator(bind)
        children = {"gunicorn": self._start_web(bind, web_workers)}
        if not no_worker:
            children["worker"] = subprocess.Popen([sys.executable, "-m", "openwenku", "worker"])
        self.stdout.write(
            self.style.SUCCESS(
                f"OpenWenku is running at http://{bind}/  (data: {settings.DATA_DIR}; Ctrl+C stops)"
            )
        )
        self._supervise(children)

    def _announce_operator(self, bind: str) -> None:
        created = operator_ensure()
        if created:
            name, password = created
            self.stdout.write(
                self.style.WARNING(
                    "\nNo operator account existed, so one was created:\n"
                    f"    username: {name}\n    password: {password}\n"
                    f"Log in at http://{bind}/accounts/login/ (admin: http://{bind}/admin/) and "
                    "change this password now; it is shown only this once.\n"
                )
            )

    def _start_web(self, bind: str, workers: int) -> subprocess.Popen[bytes]:
        options = {
            "--bind": bind,
            "--workers": str(workers),
            "--threads": "4",
            "--worker-class": "gthread",
            "--timeout": "300",  # a 100 MB upload on a slow line
            "--access-logfile": "-",
            "--forwarded-allow-ips": "127.0.0.1",
        }
        args = [item for pair in options.items() for item in pair]
        # No control socket in $HOME: several sites may run on one machine.
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "openwenku.wsgi:application",
                *args,
                "--no-control-socket",
            ]
        )

    def _supervise(self, children: dict[str, subprocess.Popen[bytes]]) -> None:
        """Wait until a child exits or a signal asks to stop; then stop them all."""
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    code = child.returncode or 1
                    self.stderr.write(f"{name} exited ({child.returncode}); stopping")
                    stopping = True
                    break
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        for child in children.values():
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        sys.exit(code)
