"""Warm LibreOffice instances, one per worker process (a worker slot).

An instance is Debian's python3 running lo_bridge.py, which keeps one
``soffice`` alive with its own profile, inside the converter sandbox. The
worker sends one file at a time. The instance is replaced after
LO_MAX_CONVERSIONS conversions (LibreOffice grows: ~86 MB to ~450 MB over
130 files), when it crashes, and when a conversion times out (its whole
process group is killed). Start-up (~1 s) is paid once per instance instead of
once per file.
"""

from __future__ import annotations

import atexit
import functools
import json
import logging
import os
import select
import shutil
import subprocess
import time
import uuid
from pathlib import Path

from django.conf import settings

from . import sandbox
from .fonts import font_env

logger = logging.getLogger(__name__)

SYSTEM_PYTHON = "/usr/bin/python3"
_BRIDGE = Path(__file__).with_name("lo_bridge.py")


class InstanceCrashed(Exception):
    """The office died while converting (or could not start)."""


class InstanceTimeout(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:.0f} s")
        self.seconds = seconds


class LoadFailed(Exception):
    """LibreOffice could not open or export the file (the file's fault)."""

    def __init__(self, kind: str, detail: str):
        super().__init__(detail)
        self.kind = kind


def warm_available() -> bool:
    return settings.OPENWENKU["LO_MODE"] != "cold" and _uno_importable()


@functools.cache
def _uno_importable() -> bool:
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    try:
        done = subprocess.run(
            [SYSTEM_PYTHON, "-c", "import uno"], capture_output=True, timeout=20, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


class OfficeInstance:
    def __init__(self, root: Path):
        self.root = root
        self.proc: subprocess.Popen | None = None
        self.conversions = 0
        self.io = root / "io"
        self._buf = b""

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        conf = settings.OPENWENKU
        self.stop()
        (self.root / "profile" / "user").mkdir(parents=True)
        self.io.mkdir()
        from .office import registry_xml

        (self.root / "profile" / "user" / "registrymodifications.xcu").write_text(
            registry_xml(), encoding="utf-8"
        )
        bridge = self.root / "lo_bridge.py"
        shutil.copyfile(_BRIDGE, bridge)
        env = font_env(self.root)
        cmd = [
            SYSTEM_PYTHON,
            str(bridge),
            conf["SOFFICE"],
            (self.root / "profile").as_uri(),
            f"owk{uuid.uuid4().hex[:12]}",
        ]
        use_sandbox = sandbox.bubblewrap_available(conf["SANDBOX"])
        if use_sandbox:
            cmd = sandbox.sandboxed(cmd, workdir=self.root)
        self.proc = subprocess.Popen(
            cmd,
            cwd=self.root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**sandbox.base_env(self.root), **env},
            preexec_fn=sandbox._limits(conf["WORKER_MEMORY_MB"] * 1024 * 1024),
        )
        self._buf = b""
        self.conversions = 0
        msg = self._read(60)
        if not msg.get("ready"):
            self.stop()
            raise InstanceCrashed(msg.get("fatal", "LibreOffice did not start"))
        logger.info("LibreOffice instance ready in %s", self.root)

    def stop(self) -> None:
        if self.proc is not None:
            sandbox.kill_group(self.proc)
            self.proc = None
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    # -- protocol --------------------------------------------------------------
    def _read(self, timeout: float) -> dict:
        assert self.proc and self.proc.stdout
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + timeout
        while b"\n" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise InstanceTimeout(timeout)
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise InstanceTimeout(timeout)
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                raise InstanceCrashed("LibreOffice exited")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        return json.loads(line)

    def convert(self, source: Path, fmt: str, timeout: float) -> Path:
        """Convert ``source`` to PDF; the result lives in this instance's io dir."""
        if not self.alive or self.conversions >= settings.OPENWENKU["LO_MAX_CONVERSIONS"]:
            self.stop()
            self.start()
        for leftover in self.io.iterdir():
            leftover.unlink()
        work = self.io / f"document.{source.suffix.lstrip('.') or fmt}"
        shutil.copyfile(source, work)
        out = self.io / "document.pdf"
        request = {"in": str(work), "out": str(out), "format": fmt}
        try:
            assert self.proc and self.proc.stdin
            self.proc.stdin.write((json.dumps(request) + "\n").encode())
            self.proc.stdin.flush()
            reply = self._read(timeout)
        except InstanceTimeout:
            self.stop()
            raise
        except (InstanceCrashed, BrokenPipeError, OSError) as exc:
            self.stop()
            raise InstanceCrashed(str(exc)) from None
        self.conversions += 1
        if reply.get("error") == "crashed":
            self.stop()
            raise InstanceCrashed(reply.get("detail", ""))
        if "error" in reply:
            raise LoadFailed(reply["error"], reply.get("detail", ""))
        if not out.exists() or out.stat().st_size == 0:
            raise LoadFailed("export", "no PDF written")
        return out


_instance: OfficeInstance | None = None


def instance() -> OfficeInstance:
    """This worker process's instance (created on first use)."""
    global _instance
    if _instance is None:
        _instance = OfficeInstance(settings.DATA_DIR / "office" / f"{os.getpid()}")
        atexit.register(shutdown)
    return _instance


def shutdown() -> None:
    global _instance
    if _instance is not None:
        _instance.stop()
        _instance = None
