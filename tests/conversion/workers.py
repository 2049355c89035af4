"""Real worker processes against the test database, for crash and scale tests."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import connection


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def spawn_worker(log: Path, **env_overrides: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "OPENWENKU_DATA_DIR": str(settings.DATA_DIR),
        "OPENWENKU_LEASE_SECONDS": "6",
        "OPENWENKU_OCR": "false",
        **env_overrides,
    }
    with open(log, "ab") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "openwenku",
                "worker",
                "--concurrency",
                "1",
                "--sweep-interval",
                "1",
                "--interval",
                "0.2",
                "--no-startup-delay",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])  # the field after the state


def office_pids(worker_pid: int) -> list[int]:
    """soffice.bin processes of the warm instance that ``worker_pid`` started.

    Found by ancestry: in the sandbox the office's paths (/job/...) name no worker."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"soffice.bin" not in cmdline:
            continue
        pid = int(entry.name)
        while pid > 1 and pid != worker_pid:
            pid = _parent(pid)
        if pid == worker_pid:
            pids.append(int(entry.name))
    return pids
