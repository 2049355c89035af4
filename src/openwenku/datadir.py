"""The data folder (``OPENWENKU_DATA_DIR``): made by the commands that run the
site, not by importing the settings.

``openwenku`` (every command: serve, worker, migrate, import, …) and the WSGI
entry point call :func:`ensure` before Django reads its settings; the settings
only read what is there. On a fresh machine the first command creates the
folders and a secret key of its own (never one baked into the source).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from pathlib import Path

SUBDIRS = ("files", "static", "tmp", "cache")
SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name, not a secret)


def configured_path() -> Path:
    """``OPENWENKU_DATA_DIR`` (default ``./data``), as an absolute path."""
    return Path(os.environ.get("OPENWENKU_DATA_DIR") or "./data").resolve()


def read_secret_key(data_dir: Path) -> str:
    """The key kept in the data folder, or "" if there is none yet."""
    try:
        return (data_dir / SECRET_KEY_FILE).read_text().strip()
    except FileNotFoundError:
        return ""


def ensure(data_dir: Path | None = None) -> Path:
    """Create the data folder, its subfolders and (unless the operator set
    ``OPENWENKU_SECRET_KEY``) a secret key readable by its owner only."""
    data_dir = data_dir or configured_path()
    for sub in SUBDIRS:
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    key_file = data_dir / SECRET_KEY_FILE
    if not os.environ.get("OPENWENKU_SECRET_KEY") and not key_file.exists():
        _write_key_atomically(key_file, secrets.token_urlsafe(48))
    return data_dir


def _write_key_atomically(key_file: Path, key: str) -> None:
    """The key appears whole or not at all, readable by its owner only, and the
    first of two commands starting at once wins: it is written and synced under a
    private temporary name (mode 0600 from creation), then hard-linked into place,
    which fails if a key is already there."""
    fd, tmp = tempfile.mkstemp(prefix=".secret_key.", dir=key_file.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(FileExistsError):  # another command made it first: keep theirs
            os.link(tmp, key_file)
    finally:
        os.unlink(tmp)
