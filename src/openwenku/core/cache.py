"""The embedded cache: Django's file cache in the data folder, shared by every
web process of one machine, with ``add`` and ``incr`` made atomic.

Rate limits and throttles count with ``cache.add`` + ``cache.incr``. Django's
file cache implements both as a read followed by a write, so two web processes
counting at once could lose a count. Here both hold an exclusive ``flock`` on
one lock file in the cache folder while they read and write. With ``REDIS_URL``
set the Redis cache is used instead (its ``SET NX`` and ``INCR`` are atomic).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

LOCK_NAME = ".counters.lock"


class LockingFileBasedCache(FileBasedCache):
    """FileBasedCache whose add/incr/decr are atomic across threads and processes."""

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self._createdir()  # type: ignore[attr-defined]  # (untyped in django-stubs)
        lock = os.path.join(self._dir, LOCK_NAME)  # type: ignore[attr-defined]
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def add(
        self,
        key: Any,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        with self._locked():
            return super().add(key, value, timeout, version)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` and keep the key's expiry (Django's file cache resets it
        to the default timeout); ValueError when the key is missing or expired."""
        with self._locked():
            try:
                fname = self._key_to_file(key, version)  # type: ignore[attr-defined]
                with open(fname, "rb") as f:
                    expiry = pickle.load(f)  # noqa: S301 (our own cache file)
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key {key!r} not found")
                    value = pickle.loads(zlib.decompress(f.read()))  # noqa: S301
            except FileNotFoundError:
                raise ValueError(f"Key {key!r} not found") from None
            new_value = value + delta
            timeout = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, new_value, timeout, version)  # written aside, then renamed
            return new_value
