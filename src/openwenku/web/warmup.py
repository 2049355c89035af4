"""Warm a web process before it serves: the first search used to take 4–8 s
while jieba's dictionary, OpenCC and the search code loaded. The WSGI entry
point calls :func:`warm` (each gunicorn worker imports it before accepting a
connection), so management commands such as ``migrate`` never pay for it."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connections

from openwenku.search import analysis, selectors

logger = logging.getLogger(__name__)


def warm() -> float:
    """Load the search analysers and run one search; returns the seconds spent."""
    if not getattr(settings, "WARM_UP", True):
        return 0.0
    started = time.perf_counter()
    analysis.warm_up()
    try:
        # Imports the search code paths and touches the search tables once.
        selectors.search_documents(query="文库")
    except Exception:  # a site not migrated yet still starts
        logger.exception("warm-up search failed")
    finally:
        connections.close_all()
    seconds = time.perf_counter() - started
    logger.info("web process warmed up in %.2f s", seconds)
    return seconds
