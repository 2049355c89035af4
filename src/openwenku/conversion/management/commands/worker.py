"""``openwenku worker``: a conversion worker (the database task queue)."""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from openwenku.conversion.recovery import requeue_stalled

logger = logging.getLogger(__name__)


def _sweeper(stop: threading.Event, interval: float) -> None:
    while not stop.wait(interval):
        try:
            requeue_stalled()
        except Exception:
            logger.exception("recovery sweep failed")
        finally:
            close_old_connections()


class Command(DBWorkerCommand):
    help = "Run a conversion worker: takes documents from the queue and converts them."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=60.0,
            help="seconds between checks for stalled conversions (default 60)",
        )
        parser.set_defaults(reload=False, queue_name="*")

    def handle(self, *args, sweep_interval: float, **options):
        stop = threading.Event()
        try:
            requeue_stalled()
        except Exception:
            logger.exception("recovery sweep failed")
        thread = threading.Thread(target=_sweeper, args=(stop, sweep_interval), daemon=True)
        thread.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
