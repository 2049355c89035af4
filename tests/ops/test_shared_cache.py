"""Rate limits and throttles are shared by every web process: on Redis (REDIS_URL)
and on the embedded file cache in the data folder, counted atomically."""

from __future__ import annotations

import pickle
import threading
import time
from collections.abc import Callable

import pytest
from django.core.cache import caches
from django.urls import reverse

from openwenku.accounts import throttling

LIMIT = 25
CLIENTS = 4
TRIES_EACH = 20


def _race(action: Callable[[], bool]) -> tuple[int, set[int]]:
    """Run ``action`` from several threads at once; each thread has its own cache
    client (Django's caches are per thread), as separate web processes would.
    Returns how many calls were allowed and the ids of the cache clients used."""
    allowed = 0
    clients: set[int] = set()
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def run() -> None:
        nonlocal allowed
        clients.add(id(caches["default"]))
        start.wait()
        ok = sum(action() for _ in range(TRIES_EACH))
        with lock:
            allowed += ok
        caches["default"].close()

    threads = [threading.Thread(target=run) for _ in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return allowed, clients


def _shared_limit_holds() -> None:
    allowed, clients = _race(
        lambda: throttling.allow("test-bucket", "someone", limit=LIMIT, window=60)
    )
    assert len(clients) == CLIENTS  # separate clients, one shared counter
    assert allowed == LIMIT  # never more, however the requests interleave


def test_rate_limit_is_shared_and_exact_on_redis(redis_cache):
    _shared_limit_holds()


def test_rate_limit_is_shared_and_exact_on_the_embedded_file_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "openwenku.core.cache.LockingFileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    _shared_limit_holds()


def test_file_cache_incr_keeps_the_expiry(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "openwenku.core.cache.LockingFileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    cache = caches["default"]
    assert cache.add("k", 0, 3600)
    assert not cache.add("k", 5, 3600)
    assert cache.incr("k") == 1
    assert cache.incr("k", 2) == 3
    # Django's file cache would reset the expiry to the 300 s default here.
    with open(cache._key_to_file("k"), "rb") as fh:
        assert pickle.load(fh) - time.time() > 3000
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_login_throttle_is_shared_by_two_redis_clients(redis_cache, settings):
    """Failures counted by one web process lock the account out in another."""
    from django.core.cache.backends.redis import RedisCache

    params = {"KEY_PREFIX": redis_cache}
    first = RedisCache(settings.REDIS_URL, params)
    second = RedisCache(settings.REDIS_URL, params)
    key = "openwenku:shared-counter"
    first.add(key, 0, 60)
    second.add(key, 0, 60)
    assert [first.incr(key), second.incr(key), first.incr(key)] == [1, 2, 3]
    assert second.get(key) == 3
    # Through the site's own limiter (the `cache` of this thread is a third client).
    for _ in range(3):
        assert throttling.allow("shared-test", "alice", limit=3, window=60)
    assert not throttling.allow("shared-test", "alice", limit=3, window=60)


@pytest.mark.django_db
def test_the_site_works_on_redis(redis_cache, client, django_user_model):
    """A smoke flow with REDIS_URL set: pages, search, and the login throttle."""
    from openwenku.documents.models import Document, DocumentPage

    alice = django_user_model.objects.create_user(username="alice", password="Correct-Horse-42")
    doc = Document.objects.create(
        owner=alice,
        title="核电厂安全审查",
        original_name="a.docx",
        size=10,
        sha256="a" * 64,
        format="docx",
        status=Document.Status.READY,
        page_count=1,
        pages_ready=1,
    )
    DocumentPage.objects.create(document=doc, number=1, text="核电厂", width=100, height=140)
    assert client.get("/").status_code == 200
    # A document page view is counted once per visitor (cache.add on Redis).
    for _ in range(3):
        assert client.get(doc.get_absolute_url()).status_code == 200
    doc.refresh_from_db()
    assert doc.view_count == 1
    assert client.get(reverse("search:search"), {"q": "核电"}).status_code == 200
    login = reverse("accounts:login")
    for _ in range(throttling.login_failure_limit()):
        client.post(login, {"username": "alice", "password": "wrong"})
    response = client.post(login, {"username": "alice", "password": "Correct-Horse-42"})
    assert response.status_code == 429  # refused: the account is locked out
    assert "_auth_user_id" not in client.session


def test_a_counter_recreated_by_incr_still_expires(redis_cache):
    """INCR on a key that expired after Django's existence check recreates it
    without an expiry; the first count gives it one again."""
    import redis
    from django.core.cache import cache

    key = "openwenku:rate:recreated"
    raw = redis.Redis.from_url(cache._cache._servers[0])
    full = cache.make_key(key)
    # What the race leaves: add() saw a live key and did nothing, the key expired,
    # and INCR made a new one with no expiry. Here: a key at 0 without expiry.
    raw.set(full, 0)
    assert throttling.count(key, 60) == 1
    assert 0 < raw.ttl(full) <= 60


COUNTING_PROCESS = """
import os, sys, time
os.environ["DJANGO_SETTINGS_MODULE"] = "openwenku.settings"
from openwenku import datadir
datadir.ensure()
import django
django.setup()
from openwenku.accounts import throttling
start = float(sys.argv[1])
time.sleep(max(0.0, start - time.time()))
print(sum(throttling.allow("proc-bucket", "someone", limit=int(sys.argv[2]), window=60)
          for _ in range(int(sys.argv[3]))))
"""


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_two_web_processes_share_one_limit(backend, tmp_path):
    """Two real processes with the site's settings count against one limit."""
    import os
    import subprocess
    import sys
    import uuid

    from tests.ops.conftest import REDIS_URL, redis_or_skip
    from tests.ops.serving import SRC

    env = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "OPENWENKU_DATA_DIR": str(tmp_path / "data"),
        "OPENWENKU_CACHE_KEY_PREFIX": f"owtest-{uuid.uuid4().hex}",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if backend == "redis":
        redis_or_skip()
        env["REDIS_URL"] = REDIS_URL
    start = time.time() + 3  # both processes start counting together
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTING_PROCESS, str(start), str(LIMIT), "40"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = [int(p.communicate(timeout=120)[0].strip()) for p in procs]
    assert sum(allowed) == LIMIT, allowed
