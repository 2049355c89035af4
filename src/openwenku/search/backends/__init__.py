"""The search backend for the configured database: FTS5 on SQLite, tsvector on PostgreSQL."""

from __future__ import annotations

from django.db import connection

from .base import SearchBackend

__all__ = ["SearchBackend", "get_backend"]


def get_backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    if connection.vendor == "sqlite":
        from .sqlite import SqliteBackend

        return SqliteBackend()
    raise NotImplementedError(f"no search backend for {connection.vendor}")
