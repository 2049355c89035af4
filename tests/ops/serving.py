"""`openwenku serve` as a real process on a free port, with its own data folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@contextmanager
def serving(data_dir: Path, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `openwenku serve` (web only) until the block ends; yields its base URL.

    Returns once the port accepts connections (gunicorn's master binds it before
    its workers have loaded the site)."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": str(SRC),
        "OPENWENKU_DATA_DIR": str(data_dir),
        **(env or {}),
    }
    environment.pop("OPENWENKU_SECRET_KEY", None)  # the data folder's own key
    if "DATABASE_URL" not in (env or {}):
        environment.pop("DATABASE_URL", None)  # the embedded SQLite in data_dir
    command = ["serve", "--bind", f"127.0.0.1:{port}", "--web-workers", "1", "--no-worker"]
    process = subprocess.Popen(
        [sys.executable, "-m", "openwenku", *command],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"serve exited: {process.stderr.read().decode()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("serve did not listen") from None
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
