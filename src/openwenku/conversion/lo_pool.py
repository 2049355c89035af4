"""Warm LibreOffice instances, one per worker process (a worker slot).

An instance is Debian's python3 running lo_bridge.py, which keeps one
``soffice`` alive with its own profile, inside the converter sandbox; the
worker talks to it over the JSON-lines protocol of child.py and sends one file
at a time. The instance is replaced after LO_MAX_CONVERSIONS conversions
(LibreOffice grows: ~86 MB to ~450 MB over 130 files), when it crashes, and
when a conversion times out (its whole process group is killed). Start-up
(~1 s) is paid once per instance instead of once per file. office.py decides
what to do when an instance fails (a cold retry, or a failed document).
"""

from __future__ import annotations

import atexit
import functools
import logging
import os
import shutil
import subprocess
import uuid
from pathlib import Path

from django.conf import settings

from . import sandbox
from .child import Child, ChildExited, ChildTimeout
from .fonts import font_env
from .lo_profile import write_profile

logger = logging.getLogger(__name__)

SYSTEM_PYTHON = "/usr/bin/python3"
_BRIDGE = Path(__file__).with_name("lo_bridge.py")
WATCH = Path(__file__).with_name("scratch_watch.py")
_START_TIMEOUT = 60


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
        self.child: Child | None = None
        self.conversions = 0
        self.io = root / "io"
        self.mount_at: str | None = None  # where the sandboxed office sees ``root``

    def _inside(self, path: Path) -> str:
        """``path`` as the office sees it: under the neutral /job in the sandbox."""
        return sandbox.inside(path, self.root, self.mount_at)

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> None:
        conf = settings.OPENWENKU
        self.stop()
        write_profile(self.root / "profile")
        self.io.mkdir()
        bridge = self.root / "lo_bridge.py"
        shutil.copyfile(_BRIDGE, bridge)
        shutil.copyfile(WATCH, self.root / WATCH.name)
        isolated = sandbox.bubblewrap_available(conf["SANDBOX"])
        self.mount_at = sandbox.JOB_DIR if isolated else None
        font_env(self.root)
        cmd = [
            SYSTEM_PYTHON,
            self._inside(bridge),
            conf["SOFFICE"],
            Path(self._inside(self.root / "profile")).as_uri(),
            f"owk{uuid.uuid4().hex[:12]}",
        ]
        self.child = Child(
            cmd,
            workdir=self.root,
            memory_bytes=conf["WORKER_MEMORY_MB"] * 1024 * 1024,
            isolated=isolated,
            env={"FONTCONFIG_FILE": self._inside(self.root / "fonts.conf")},
            interactive=True,
            mount_at=self.mount_at,
        )
        self.conversions = 0
        try:
            msg = self.child.read(_START_TIMEOUT)
        except ChildTimeout as exc:
            self.stop()
            raise InstanceTimeout(exc.seconds) from None
        except ChildExited:
            msg = {}
        if not msg.get("ready"):
            self.stop()
            raise InstanceCrashed(msg.get("fatal", "LibreOffice did not start"))
        logger.info("LibreOffice instance ready in %s", self.root)

    def stop(self) -> None:
        if self.child is not None:
            self.child.kill()
            self.child = None
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def alive(self) -> bool:
        return self.child is not None and self.child.alive

    @property
    def pid(self) -> int | None:
        return self.child.pid if self.child else None

    # -- conversion --------------------------------------------------------------
    def convert(
        self,
        source: Path,
        fmt: str,
        timeout: float,
        *,
        office_filter: tuple[str, str] | None = None,
    ) -> Path:
        """Convert ``source`` to PDF; the result lives in this instance's io dir.

        ``office_filter`` is the import filter and its options, when the file's
        name is not enough for LibreOffice to pick it.
        """
        if not self.alive or self.conversions >= settings.OPENWENKU["LO_MAX_CONVERSIONS"]:
            self.stop()
            self.start()
        assert self.child is not None
        for leftover in self.io.iterdir():
            leftover.unlink()
        # Named as the uploader named it (office.py made the name safe): a
        # file-name field in the document shows that name.
        work = self.io / (source.name if source.suffix else f"{source.name}.{fmt}")
        shutil.copyfile(source, work)
        out = self.root / "output.pdf"
        out.unlink(missing_ok=True)
        try:
            request = {"in": self._inside(work), "out": self._inside(out), "format": fmt}
            if office_filter:
                request["filter"], request["filter_options"] = office_filter
            self.child.send(request)
            reply = self.child.read(timeout)
        except ChildTimeout as exc:
            self.stop()
            raise InstanceTimeout(exc.seconds) from None
        except ChildExited as exc:
            self._raise_if_scratch_full(out, {})
            self.stop()
            raise InstanceCrashed(str(exc)) from None
        self.conversions += 1
        if "error" in reply:
            self._raise_if_scratch_full(out, reply)
        if reply.get("error") == "crashed":
            self.stop()
            raise InstanceCrashed(reply.get("detail", ""))
        if "error" in reply:
            raise LoadFailed(reply["error"], reply.get("detail", ""))
        if not out.exists() or out.stat().st_size == 0:
            raise LoadFailed("export", "no PDF written")
        return out

    def _raise_if_scratch_full(self, out: Path, reply: dict) -> None:
        """A file at the scratch bound, or a full private /tmp: the document is a bomb.

        The instance is replaced (its profile may be half written)."""
        if reply.get("tmp_full") or reply.get("error") == "write" or sandbox.hit_scratch_bound(out):
            self.stop()
            raise sandbox.ScratchFull()


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
