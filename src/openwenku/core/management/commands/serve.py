"""``openwenku serve``: migrate, then run the web server and a conversion worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext

from openwenku.core.services import operator_ensure
from openwenku.core.startup import StartupError, run_worker_checks

# Addresses meaning "all interfaces": no link can name them.
WILDCARD_HOSTS = {"", "0.0.0.0", "::"}  # noqa: S104 (compared, never bound)


def _host_port(bind: str) -> tuple[str, str] | None:
    """The host and port of a TCP --bind address (as gunicorn reads it), else None."""
    if bind.startswith(("unix:", "fd://")):
        return None
    host, colon, port = bind.rpartition(":")
    if not colon or not port.isdigit():
        host, port = bind, "8000"
    return host.removeprefix("[").removesuffix("]"), port


def site_url_for_bind(bind: str) -> str | None:
    """The public address a --bind address names, or None when it names none
    (all interfaces, a Unix socket): then OPENWENKU_SITE_URL must say it."""
    parts = _host_port(bind)
    if parts is None or parts[0] in WILDCARD_HOSTS:
        return None
    host, port = parts
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


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
        if not no_worker:  # the worker parses uploads here: refuse at once, not after serving
            try:
                run_worker_checks()
            except StartupError as exc:
                raise CommandError(str(exc)) from None
        site_url = self._site_url(bind)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Documents published before search existed (or while indexing failed).
        with open(os.devnull, "w") as quiet:
            call_command("reindex", missing=True, no_progress=True, stdout=quiet)
        self._announce_operator(site_url)
        children = {"gunicorn": self._start_web(bind, web_workers)}
        if not no_worker:
            children["worker"] = subprocess.Popen([sys.executable, "-m", "openwenku", "worker"])
        self.stdout.write(
            self.style.SUCCESS(
                f"OpenWenku is listening on {bind} at {site_url}/  "
                f"(data: {settings.DATA_DIR}; Ctrl+C stops)"
            )
        )
        self._supervise(children)

    def _site_url(self, bind: str) -> str:
        """The site's public address, derived once from --bind when unset.

        The web server and the worker are started with it in their environment,
        so their links in e-mails and their default ALLOWED_HOSTS agree with it.
        """
        site_url = settings.SITE_URL or site_url_for_bind(bind)
        if not site_url:
            parts = _host_port(bind)
            if not settings.DEBUG or parts is None:
                raise CommandError(
                    gettext(
                        "Set OPENWENKU_SITE_URL to the site's public address (e.g. "
                        "https://wenku.example.org) when serving on %(bind)s: links in "
                        "e-mails are made from it, never from a request's Host header."
                    )
                    % {"bind": bind}
                )
            site_url = f"http://localhost:{parts[1]}"  # development only
        os.environ["OPENWENKU_SITE_URL"] = settings.SITE_URL = site_url
        self.stdout.write(
            gettext(
                "Site address: %(url)s (links in e-mails use it; "
                "set OPENWENKU_SITE_URL to change it)"
            )
            % {"url": site_url}
        )
        return site_url

    def _announce_operator(self, site_url: str) -> None:
        created = operator_ensure()
        if created:
            name, password = created
            self.stdout.write(
                self.style.WARNING(
                    "\nNo operator account existed, so one was created:\n"
                    f"    username: {name}\n    password: {password}\n"
                    f"Log in at {site_url}/accounts/login/ (admin: {site_url}/admin/) and "
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
            # X-Forwarded-Proto believed from these only (is the request HTTPS?).
            "--forwarded-allow-ips": ",".join(settings.TRUSTED_PROXIES) or "127.0.0.1",
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
                # Load (and warm, see wsgi.py) the site once before binding the
                # port: every web process forked from it answers its first
                # search without loading jieba, OpenCC and the search code.
                "--preload",
                # Hooks: metrics of an exited web process (gunicorn_conf.child_exit).
                "--config",
                "python:openwenku.gunicorn_conf",
            ],
            env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(self._metrics_dir())},
        )

    def _metrics_dir(self) -> Path:
        """A fresh folder where the web processes keep their Prometheus samples
        (prometheus-client's multiprocess mode; /metrics adds them up)."""
        path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.DATA_DIR / "metrics")
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):  # samples of processes that no longer run
            stale.unlink()
        return path

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
