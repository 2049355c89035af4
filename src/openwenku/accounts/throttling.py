"""Login throttling: after too many failures for one username from one address,
refuse further attempts for a while. Counters live in Django's cache."""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_FAILURE_LIMIT = 10
DEFAULT_WINDOW_SECONDS = 15 * 60


def failure_limit() -> int:
    return getattr(settings, "OPENWENKU", {}).get("LOGIN_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT)


def window_seconds() -> int:
    return getattr(settings, "OPENWENKU", {}).get("LOGIN_FAILURE_WINDOW", DEFAULT_WINDOW_SECONDS)


def client_ip(request: HttpRequest | None) -> str:
    """The peer address. Behind a reverse proxy this is the proxy's address, so the
    limit then applies per username only, which is still safe."""
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "") or ""


def _key(username: str, ip: str) -> str:
    # Hashed: cache keys must be short and free of arbitrary user input.
    digest = hashlib.sha256(f"{username.casefold()}\0{ip}".encode()).hexdigest()
    return f"openwenku:login-failures:{digest}"


def is_locked_out(username: str, ip: str) -> bool:
    return (cache.get(_key(username, ip)) or 0) >= failure_limit()


def record_failure(username: str, ip: str) -> int:
    """Count one failed attempt; the lock lasts the window from the latest failure."""
    key = _key(username, ip)
    timeout = window_seconds()
    cache.add(key, 0, timeout)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout)
        count = 1
    # Some backends' incr() resets the expiry to the default timeout.
    cache.touch(key, timeout)
    return count


def clear_failures(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))
