"""Login throttling: after too many failures for one username from one address,
refuse further attempts for a while. Counters live in Django's cache."""

import hashlib
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULT_FAILURE_LIMIT = 10
DEFAULT_WINDOW_SECONDS = 15 * 60


def failure_limit() -> int:
    return getattr(settings, "OPENWENKU", {}).get("LOGIN_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT)


def window_seconds() -> int:
    return getattr(settings, "OPENWENKU", {}).get("LOGIN_FAILURE_WINDOW", DEFAULT_WINDOW_SECONDS)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: HttpRequest | None) -> str:
    """The client's address, for every per-address limit.

    The peer (REMOTE_ADDR), unless the peer is a trusted proxy (OPENWENKU_TRUSTED_PROXIES):
    then the right-most X-Forwarded-For address that is not a trusted proxy (each
    trusted proxy appends the address it was reached from; whatever lies left of
    that the client wrote itself and is not believed)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # not an address: keep the last one a trusted proxy vouched for
        if not _trusted(client, networks):
            break
    return client


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
    failures = count(key, timeout)
    # Some backends' incr() resets the expiry to the default timeout.
    cache.touch(key, timeout)
    return failures


def count(cache_key: str, window: int) -> int:
    """Add one to a counter that starts at its first event and lasts ``window``
    seconds. Atomic on every cache the site runs with: Redis (SET NX, INCR), the
    embedded file cache (core.cache, under a lock) and local memory (tests)."""
    cache.add(cache_key, 0, window)
    try:
        n = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, window)
        return 1
    if n == 1:
        # The first event: make sure the counter expires. Redis' INCR on a key
        # that expired just after Django's existence check recreates it
        # without an expiry, which would limit this key for ever.
        cache.touch(cache_key, window)
    return n


def clear_failures(username: str, ip: str) -> None:
    cache.delete(_key(username, ip))


def allow(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event of ``bucket`` for ``key``; False once ``limit`` events fell
    within ``window`` seconds (the window starts with the first of them)."""
    digest = hashlib.sha256(f"{bucket}\0{key.casefold()}".encode()).hexdigest()
    return count(f"openwenku:rate:{digest}", window) <= limit
