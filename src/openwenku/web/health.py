"""``/healthz``: is this web process able to serve? For load balancers and
monitoring. Cheap (a query, a tiny file, a cache round trip, indexed counts),
never cached, and free of secrets: only states and figures."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from openwenku.conversion.selectors import queue_status
from openwenku.search import analysis

logger = logging.getLogger(__name__)

PROBE_DIR = "healthz"


def _database() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _storage() -> dict[str, Any]:
    """Write, read back and delete a probe file where originals and pages live."""
    name = default_storage.save(f"{PROBE_DIR}/{uuid.uuid4().hex}.probe", ContentFile(b"ok"))
    try:
        with default_storage.open(name, "rb") as fh:
            if fh.read() != b"ok":
                raise OSError("probe file read back wrong")
    finally:
        default_storage.delete(name)
    return {}


def _cache() -> dict[str, Any]:
    """A round trip through the shared cache (Redis when REDIS_URL is set)."""
    key = f"openwenku:healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, 10)
    try:
        if cache.get(key) != 1:
            raise OSError("cache lost the probe value")
    finally:
        cache.delete(key)
    return {"backend": "redis" if getattr(settings, "REDIS_URL", "") else "file"}


def _queue() -> dict[str, Any]:
    status = queue_status()
    oldest = status.oldest_age_seconds
    return {
        "depth": status.depth,
        "oldest_age_seconds": round(oldest, 1) if oldest is not None else None,
        "running": status.running,
        "ocr_waiting": status.ocr_waiting,
        "ocr_backlog_pages": status.ocr_backlog_pages,
    }


def _check(name: str, probe: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"ok": True, **probe()}
    except Exception as exc:  # any failure of a dependency is "down", not a 500
        # The details go to the log (they may name hosts or paths), not to the answer.
        logger.warning("health check %s failed: %s", name, exc)
        result = {"ok": False, "error": type(exc).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database, the storage and the cache answer; else 503."""
    checks = {
        "database": _check("database", _database),
        "storage": _check("storage", _storage),
        "cache": _check("cache", _cache),
    }
    if checks["database"]["ok"]:
        checks["queue"] = _check("queue", _queue)
    healthy = all(c["ok"] for c in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        "checks": checks,
        # jieba and OpenCC loaded before the first search (see web.warmup).
        "warm": analysis.is_warm(),
    }
    return JsonResponse(body, status=200 if healthy else 503)
