"""Fixed-window rate limits counted atomically in the database.

One statement adds an event and reads the count back (``INSERT … ON CONFLICT DO
UPDATE … RETURNING``, the same SQL on SQLite ≥ 3.35 and PostgreSQL): parallel
requests each see their own count, so exactly ``limit`` of them pass however
they interleave. The site's default cache (files) has no atomic increment,
which is why this is not a cache counter.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from .models import RateCounter

# Windows older than this are deleted now and then (one call in PRUNE_ONE_IN).
PRUNE_AFTER_SECONDS = 24 * 3600
PRUNE_ONE_IN = 1000


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    # Seconds until the window ends (when not allowed: when to try again).
    retry_after: int


def hit(bucket: str, client: str, *, limit: int, window: int) -> Verdict:
    """Count one event of ``bucket`` by ``client``; not allowed once more than
    ``limit`` fell in the current window of ``window`` seconds (which starts with
    the first event after the previous window ended)."""
    key = hashlib.sha256(f"{bucket}\0{client}".encode()).hexdigest()
    now = int(time.time())
    q = connection.ops.quote_name
    table, k, start, hits_ = q(RateCounter._meta.db_table), q("key"), q("window_start"), q("hits")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({k}, {start}, {hits_}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({k}) DO UPDATE SET "
            f"{hits_} = CASE WHEN {table}.{start} <= %s THEN 1 ELSE {table}.{hits_} + 1 END, "
            f"{start} = CASE WHEN {table}.{start} <= %s "
            f"THEN excluded.{start} ELSE {table}.{start} END "
            f"RETURNING {hits_}, {start}",
            [key, now, now - window, now - window],
        )
        hits, started = cursor.fetchone()
    if random.randrange(PRUNE_ONE_IN) == 0:  # noqa: S311 (not security: housekeeping)
        RateCounter.objects.filter(window_start__lt=now - PRUNE_AFTER_SECONDS).delete()
    return Verdict(allowed=hits <= limit, retry_after=max(1, started + window - now))
