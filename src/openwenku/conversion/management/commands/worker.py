"""``openwenku worker``: conversion workers on the database task queue.

``--concurrency N`` runs N worker processes (default: one per core), each
converting one document at a time on its own warm LibreOffice; a process that
dies is replaced. Several ``openwenku worker`` commands on several machines
share one PostgreSQL queue (rows are claimed with SELECT … SKIP LOCKED).
Each process runs the recovery sweep (recovery.py) every ``--sweep-interval``
seconds and sends ``worker_process_started`` as it starts (search loads its
word segmenter then, not in the middle of the first document).
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.core.management.base import CommandError
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from openwenku.conversion import lo_pool
from openwenku.conversion.recovery import sweep
from openwenku.conversion.signals import worker_process_started
from openwenku.core.startup import StartupError, run_worker_checks

logger = logging.getLogger(__name__)


def _sweeper(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            sweep()
        except Exception:
            logger.exception("recovery sweep failed")
        finally:
            close_old_connections()


def _announce_start() -> None:
    """Tell other apps this process will convert, so they can get ready (in the background)."""
    for receiver, result in worker_process_started.send_robust(sender=None):
        if isinstance(result, Exception):
            logger.error("worker start-up receiver %s failed", receiver, exc_info=result)


class Command(DBWorkerCommand):
    help = "Run conversion workers: take documents from the queue and convert them."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--concurrency", type=int, default=0, help="worker processes (default: one per core)"
        )
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=60.0,
            help="seconds between checks for lost conversions (default 60)",
        )
        parser.set_defaults(reload=False, queue_name="*")

    def handle(  # type: ignore[override]  # adds the options this command defines
        self, *args, concurrency: int, sweep_interval: float, **options
    ):
        try:  # refuse to parse uploads without the sandbox (issue 11 item 5)
            run_worker_checks()
        except StartupError as exc:
            raise CommandError(str(exc)) from None
        concurrency = concurrency or os.cpu_count() or 1
        if concurrency > 1:
            return self._supervise(concurrency, sweep_interval, options)
        stop = threading.Event()
        try:
            sweep()
        except Exception:
            logger.exception("recovery sweep failed")
        thread = threading.Thread(target=_sweeper, args=(stop, sweep_interval), daemon=True)
        thread.start()
        threading.Thread(target=_announce_start, daemon=True, name="warm-up").start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
            lo_pool.shutdown()

    def _supervise(self, concurrency: int, sweep_interval: float, options: dict) -> None:
        cmd = [
            sys.executable,
            "-m",
            "openwenku",
            "worker",
            "--concurrency",
            "1",
            "--sweep-interval",
            str(sweep_interval),
            "--interval",
            str(options["interval"]),
            "--verbosity",
            str(options["verbosity"]),
        ]
        if options.get("batch"):
            cmd.append("--batch")
        children = [subprocess.Popen(cmd) for _ in range(concurrency)]
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        while True:
            time.sleep(0.5)
            if stopping or options.get("batch"):
                if all(child.poll() is not None for child in children):
                    return
                continue
            for i, child in enumerate(children):
                if child.poll() is not None:
                    logger.warning(
                        "worker process %s exited (%s); starting another",
                        child.pid,
                        child.returncode,
                    )
                    children[i] = subprocess.Popen(cmd)
