"""Fixtures for the operations tests: the real Redis server."""

from __future__ import annotations

import os
import uuid

import pytest

# A database number of its own; every test also gets its own key prefix, so
# parallel test workers (and other sites on the server) never collide.
REDIS_URL = os.environ.get("OPENWENKU_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("OPENWENKU_REQUIRE_REDIS") == "1":
            raise
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {exc}")


@pytest.fixture
def redis_cache(settings):
    """The site's cache on the real Redis server, as REDIS_URL configures it."""
    import redis

    redis_or_skip()
    prefix = f"owtest-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    settings.REDIS_URL = REDIS_URL
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
