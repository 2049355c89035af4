"""Warm a web process before it serves: the first search used to take 4–8 s
while jieba's dictionary, OpenCC and the search code loaded. The WSGI entry
point calls :func:`warm`, so management commands such as ``migrate`` never pay
for it. `openwenku serve` runs gunicorn with ``--preload``: the master imports
the entry point (and warms) before it binds the port, and every web process it
forks starts warm; without ``--preload`` each worker warms before it accepts."""

from __future__ import annotations

import contextlib
import logging
import time

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connections
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

from openwenku.search import analysis, selectors

logger = logging.getLogger(__name__)
# A Chinese query, so the warm-up loads jieba's dictionary and OpenCC (data, not a message).
WARM_UP_QUERY = "文库"

# The pages readers open most.
READER_TEMPLATES = ("search/results.html", "documents/detail.html", "discovery/home.html")


def warm() -> float:
    """Load the search analysers and run one search; returns the seconds spent."""
    if not getattr(settings, "WARM_UP", True):
        return 0.0
    started = time.perf_counter()
    analysis.warm_up()
    # The URLconf imports every view and builds the API's schemas (~0.3 s).
    get_resolver().url_patterns  # noqa: B018 (loaded for its side effect)
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Search")  # the language's catalogues
        for name in READER_TEMPLATES:  # compiled once, kept by the cached loader
            get_template(name)
    with contextlib.suppress(ValueError):  # no manifest before collectstatic
        staticfiles_storage.url("openwenku/site.js")  # reads the static manifest
    try:
        # Imports the search code paths and touches the search tables once.
        selectors.search_documents(query=WARM_UP_QUERY)
    except Exception:  # a site not migrated yet still starts
        logger.exception("warm-up search failed")
    finally:
        connections.close_all()
    seconds = time.perf_counter() - started
    logger.info("web process warmed up in %.2f s", seconds)
    return seconds
