"""gunicorn settings that `openwenku serve` adds (``-c python:openwenku.gunicorn_conf``).

With ``PROMETHEUS_MULTIPROC_DIR`` set, a web process that exits leaves its
metric files behind; this tells prometheus-client so its gauges drop out.
"""

import os
from typing import Any


def child_exit(server: Any, worker: Any) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
