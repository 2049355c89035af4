"""Backup and restore of a whole site: its database and its files, consistent
with each other (``openwenku backup DEST`` / ``openwenku restore SRC``).

A backup is a folder::

    manifest.json      format, version, date, database vendor, every file's size and sha256
    database.sqlite3   SQLite: a snapshot by SQLite's online backup API, or
    database.dump      PostgreSQL: ``pg_dump --format=custom``
    files/…            the storage's files (originals, PDFs, page images, covers)

The database is snapshotted first, then the files are copied: every file the
snapshot refers to (any FileField of any model) is copied; one deleted by the
site in between is listed under ``missing_files`` (and makes the command
exit with an error). Files the snapshot does not refer to are copied too and
do no harm.

Restore checks every hash before it touches anything, and refuses a site that
already has a database or files unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, connections, models

import openwenku

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files"
SQLITE_NAME = "database.sqlite3"
PG_NAME = "database.dump"
SECRET_KEY_NAME = "secret_key"  # noqa: S105 (a file name)
CHUNK = 1024 * 1024

Progress = Callable[[int], None]  # called with bytes done since the last call


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why."""


@dataclass
class BackupReport:
    manifest: dict[str, Any]
    missing_files: list[str] = field(default_factory=list)


def _sha256(path: Path, progress: Progress | None = None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if progress:
                progress(len(chunk))
    return digest.hexdigest()


def _copy_hashing(src: Path, dst: Path, progress: Progress | None = None) -> str:
    """Copy ``src`` to ``dst`` (written aside, then renamed) and return its sha256."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    tmp = dst.with_name(f".{dst.name}.part")
    with open(src, "rb") as fin, open(tmp, "wb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
            if progress:
                progress(len(chunk))
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    return digest.hexdigest()


def media_root() -> Path:
    """Where the site's files are: the default storage's folder."""
    storage: Any = settings.STORAGES["default"]
    options: dict[str, Any] = storage.get("OPTIONS") or {}
    return Path(options.get("location") or settings.MEDIA_ROOT)


def _file_columns() -> list[tuple[str, str]]:
    """(table, column) of every FileField of every installed model."""
    columns = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and f.column:
                columns.append((model._meta.db_table, f.column))
    return columns


def _referenced(query: Callable[[str], Iterable[tuple[Any, ...]]]) -> set[str]:
    names: set[str] = set()
    for table, column in _file_columns():
        sql = f'SELECT "{column}" FROM "{table}" WHERE "{column}" <> \'\''  # noqa: S608 (model names)
        names.update(row[0] for row in query(sql) if row[0])
    return names


# --- database ---------------------------------------------------------------------


def _pg_env_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [flag, str(db[key])]
    return env, args


def _snapshot_sqlite(dest: Path) -> set[str]:
    """An online backup (readers and the writer go on), then the names its rows refer to."""
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(dest)
    try:
        source.backup(target)
    finally:
        target.close()
    snap = sqlite3.connect(dest)
    try:
        return _referenced(lambda sql: snap.execute(sql).fetchall())
    finally:
        snap.close()


def _snapshot_postgres(dest: Path) -> set[str]:
    """pg_dump of one exported snapshot; the referenced names read in that same snapshot."""
    env, args = _pg_env_args()
    with connections["default"].get_new_connection(connection.get_connection_params()) as conn:
        conn.autocommit = False
        with conn.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
            command += [f"--snapshot={snapshot}", f"--file={dest}", *args]
            command += ["--dbname", str(connection.settings_dict["NAME"])]
            result = subprocess.run(
                command,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")

            def query(sql: str) -> list[tuple[Any, ...]]:
                cursor.execute(sql)
                return cursor.fetchall()

            names = _referenced(query)
        conn.rollback()
    return names


# --- backup -------------------------------------------------------------------------


def backup(
    dest: Path, *, progress_factory: Callable[[int, str], Progress] | None = None
) -> BackupReport:
    """Write a backup of this site into ``dest`` (a new or empty folder)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    dest.mkdir(parents=True, exist_ok=True)
    vendor = connection.vendor
    if vendor == "sqlite":
        db_name = SQLITE_NAME
        referenced = _snapshot_sqlite(dest / db_name)
    elif vendor == "postgresql":
        db_name = PG_NAME
        referenced = _snapshot_postgres(dest / db_name)
    else:
        raise BackupError(f"no backup for the {vendor} database")

    root = media_root()
    sources = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    total = sum(p.stat().st_size for p in sources)
    progress = progress_factory(total, "files") if progress_factory else None
    entries: list[dict[str, Any]] = []
    for src in sources:
        name = src.relative_to(root).as_posix()
        try:
            sha = _copy_hashing(src, dest / FILES / name, progress)
        except FileNotFoundError:  # deleted by the site while we copied
            continue
        entries.append({"path": name, "size": src.stat().st_size, "sha256": sha})
    copied = {e["path"] for e in entries}
    missing = sorted(referenced - copied)
    # The key kept in the data folder signs sessions, page-image links and reset
    # links: the restored site keeps it. An operator's OPENWENKU_SECRET_KEY is theirs.
    has_key = not os.environ.get("OPENWENKU_SECRET_KEY")
    if has_key:
        fd = os.open(dest / SECRET_KEY_NAME, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(settings.SECRET_KEY)
    db_file = dest / db_name
    manifest = {
        "format": FORMAT,
        "openwenku_version": openwenku.__version__,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {
            "vendor": vendor,
            "file": db_name,
            "size": db_file.stat().st_size,
            "sha256": _sha256(db_file),
        },
        "secret_key": has_key,
        "file_count": len(entries),
        "total_bytes": sum(e["size"] for e in entries),
        "files": entries,
        "missing_files": missing,
    }
    (dest / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    return BackupReport(manifest=manifest, missing_files=missing)


# --- restore ------------------------------------------------------------------------


def read_manifest(src: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((Path(src) / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{src} has no {MANIFEST}: not an OpenWenku backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(
    src: Path,
    manifest: dict[str, Any],
    *,
    progress_factory: Callable[[int, str], Progress] | None = None,
) -> None:
    """Every file present with its recorded hash, or BackupError naming the bad ones."""
    src = Path(src)
    items = [(src / manifest["database"]["file"], manifest["database"]["sha256"])]
    items += [(src / FILES / e["path"], e["sha256"]) for e in manifest["files"]]
    total = manifest["database"]["size"] + manifest["total_bytes"]
    progress = progress_factory(total, "verify") if progress_factory else None
    bad = []
    for path, sha in items:
        if not path.is_file() or _sha256(path, progress) != sha:
            bad.append(str(path.relative_to(src)))
    if bad:
        raise BackupError(f"{len(bad)} file(s) damaged or missing in the backup: {bad[:10]}")


def site_is_empty() -> bool:
    """No tables in the database and no files in the storage."""
    if connection.introspection.table_names():
        return False
    root = media_root()
    return not (root.exists() and any(p.is_file() for p in root.rglob("*")))


def _restore_sqlite(snapshot: Path) -> None:
    connections.close_all()
    target_path = Path(connection.settings_dict["NAME"])
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(snapshot)
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)  # replaces the whole database, WAL-safe
    finally:
        target.close()
        source.close()


def _restore_postgres(dump: Path, *, clean: bool) -> None:
    connections.close_all()
    env, args = _pg_env_args()
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args]
    if clean:
        command += ["--clean", "--if-exists"]
    command += ["--single-transaction", "--dbname", str(connection.settings_dict["NAME"])]
    result = subprocess.run(
        [*command, str(dump)], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def restore(
    src: Path,
    *,
    force: bool = False,
    progress_factory: Callable[[int, str], Progress] | None = None,
) -> dict[str, Any]:
    """Restore the backup in ``src`` into this site's database and storage."""
    src = Path(src)
    manifest = read_manifest(src)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"the backup holds a {vendor} database; this site uses {connection.vendor}"
        )
    if not force and not site_is_empty():
        raise BackupError(
            "this site already has a database or files; restore into an empty one, "
            "or pass --force to overwrite it"
        )
    verify(src, manifest, progress_factory=progress_factory)

    if vendor == "sqlite":
        _restore_sqlite(src / manifest["database"]["file"])
    else:
        _restore_postgres(src / manifest["database"]["file"], clean=force)

    root = media_root()
    progress = progress_factory(manifest["total_bytes"], "files") if progress_factory else None
    mode = getattr(settings, "FILE_UPLOAD_PERMISSIONS", None) or 0o640
    for entry in manifest["files"]:
        target = root / entry["path"]
        if _copy_hashing(src / FILES / entry["path"], target, progress) != entry["sha256"]:
            raise BackupError(f"{entry['path']} changed while it was restored")
        os.chmod(target, mode)
    if manifest.get("secret_key") and not os.environ.get("OPENWENKU_SECRET_KEY"):
        key_file = Path(settings.DATA_DIR) / SECRET_KEY_NAME
        key_file.unlink(missing_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write((src / SECRET_KEY_NAME).read_text())
    return manifest
