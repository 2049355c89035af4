"""Run a foreign-file converter with hard limits.

Every converter process gets a new session (so the whole process group can be
killed), a wall-clock timeout, an address-space limit, no core dumps and a
minimal environment (``limits``, ``base_env``, ``popen``). LibreOffice and
pandoc, which follow links a document names, also run, when bubblewrap is
available, in a private view of the file system holding only the system
libraries, fonts and their own scratch directory, with no network at all: a
hostile document can then neither fetch a URL nor read a local path it names
(another user's upload, /etc/passwd). The page renderer and OCR (render.py,
ocr.py) parse the same hostile PDFs and run in the same sandbox, with our
interpreter and code visible read-only. The sandbox is required: a missing
or broken ``bwrap`` is a start-up error (of ``worker`` and of ``serve``, which
starts one: core.startup) unless OPENWENKU_SANDBOX=off. Every file a child
writes, and its private /tmp (memory), are bounded by the scratch bound
(``scratch_bytes``), so a decompression bomb ends there, not in a full disk or
memory. LibreOffice sees its folder at the neutral ``/job`` (``JOB_DIR``).
``run`` waits for a converter that writes a file and exits; child.py talks
to the ones that report as they work.
"""

from __future__ import annotations

import contextlib
import logging
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from openwenku.core.startup import StartupError

logger = logging.getLogger(__name__)

# Read-only system paths a converter needs; everything else is invisible.
_RO_PATHS = [
    "/usr",
    "/etc/fonts",
    "/etc/ld.so.cache",
    "/etc/alternatives",
    "/etc/libreoffice",
    "/etc/localtime",
    "/etc/ssl/certs",
    "/var/cache/fontconfig",
]


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool
    seconds: float


class Timeout(Exception):
    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:.0f} s")
        self.seconds = seconds


class SandboxUnavailable(StartupError):
    """The sandbox is required but bubblewrap is missing or cannot isolate here."""


_OFF = ("off", "0", "false", "no")
_warned_off = False


def bubblewrap_available(mode: str = "on") -> bool:
    """True when converters must run in bubblewrap; raise if it is required but unusable.

    The sandbox is on unless ``OPENWENKU_SANDBOX=off`` (development only, logged
    loudly): a missing or broken ``bwrap`` never silently turns it off.
    """
    global _warned_off
    if mode.strip().lower() in _OFF:
        if not _warned_off:
            logger.warning(
                "OPENWENKU_SANDBOX=off: converters parse uploads WITHOUT a sandbox "
                "(network and data folder reachable). Development only, never in public."
            )
            _warned_off = True
        return False
    path = shutil.which("bwrap")
    if not path:
        raise SandboxUnavailable(
            "The converter sandbox needs bubblewrap: install the package `bubblewrap` "
            "(bwrap not found on PATH), or set OPENWENKU_SANDBOX=off for development only."
        )
    if not _bwrap_works(path):
        raise SandboxUnavailable(
            f"bubblewrap ({path}) cannot create namespaces here; allow user namespaces "
            "or run where the package `bubblewrap` works, or set OPENWENKU_SANDBOX=off "
            "for development only."
        )
    return True


def check_sandbox() -> None:
    """The workers' start-up check (core.startup): raise SandboxUnavailable if unusable."""
    bubblewrap_available(settings.OPENWENKU["SANDBOX"])


_bwrap_checked: dict[str, bool] = {}


def _bwrap_works(path: str) -> bool:
    # Some containers forbid user namespaces; fall back to limits only.
    if path not in _bwrap_checked:
        with tempfile.TemporaryDirectory() as probe:
            try:
                ok = (
                    subprocess.run(
                        sandboxed(["/usr/bin/true"], workdir=Path(probe), tmp_bytes=1 << 20),
                        capture_output=True,
                        timeout=10,
                        check=False,
                    ).returncode
                    == 0
                )
            except (OSError, subprocess.TimeoutExpired):
                ok = False
        if not ok:
            logger.warning("bubblewrap is installed but cannot create a sandbox here")
        _bwrap_checked[path] = ok
    return _bwrap_checked[path]


# Where LibreOffice sees its working directory: a path that tells nothing about
# the server (a file-name field printed into a page shows it, issue 11 item 9).
JOB_DIR = "/job"


def inside(path: Path, workdir: Path, mount_at: str | None) -> str:
    """``path`` (under ``workdir``) as the child sees it when ``workdir`` is at ``mount_at``."""
    if mount_at is None:
        return str(path)
    return str(Path(mount_at) / path.relative_to(workdir))


def sandboxed(
    cmd: list[str],
    *,
    workdir: Path,
    ro_paths: Sequence[str] = (),
    mount_at: str | None = None,
    tmp_bytes: int | None = None,
) -> list[str]:
    """Wrap ``cmd`` so it runs with ``workdir`` as its only writable, visible data.

    ``ro_paths`` are further read-only paths the child needs (the interpreter,
    our own code, the input file). With ``mount_at``, the child sees
    ``workdir`` there instead of at its real path (see :func:`inside`). The
    private /tmp (memory) holds at most ``tmp_bytes`` (default: the scratch
    bound, :func:`scratch_bytes`).
    """
    wrapped = ["bwrap", "--unshare-all", "--die-with-parent", "--new-session"]
    for p in _RO_PATHS:
        wrapped += ["--ro-bind-try", p, p]
    for link in ("bin", "lib", "lib64", "sbin", "lib32", "libx32"):
        if os.path.islink(f"/{link}"):
            wrapped += ["--symlink", os.readlink(f"/{link}"), f"/{link}"]
    private_tmp = "/tmp"  # noqa: S108 - a fresh tmpfs inside the sandbox, not the host's
    size = str(tmp_bytes or scratch_bytes())
    wrapped += ["--proc", "/proc", "--dev", "/dev", "--size", size, "--tmpfs", private_tmp]
    for p in ro_paths:  # after the private /tmp, which would hide them
        wrapped += ["--ro-bind", p, p]
    seen_at = mount_at or str(workdir)
    wrapped += ["--bind", str(workdir), seen_at, "--chdir", seen_at]
    wrapped += ["--setenv", "HOME", seen_at, "--setenv", "TMPDIR", private_tmp, "--"]
    return wrapped + cmd


class ScratchFull(Exception):
    """A converter wrote as much as the scratch bound allows (a decompression bomb)."""


def scratch_bytes() -> int:
    """The scratch bound (OPENWENKU_CONVERT_SCRATCH_MB): the largest file a converter
    may write (RLIMIT_FSIZE: SIGXFSZ, or EFBIG in Python) and the size of its
    private /tmp, so a decompression bomb fills neither the disk nor the memory."""
    return int(settings.OPENWENKU["CONVERT_SCRATCH_MB"]) * 1024 * 1024


def hit_scratch_bound(*paths: Path) -> bool:
    """True if a file among ``paths`` (files or folders, searched) reached the bound."""
    bound = scratch_bytes()
    for path in paths:
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            with contextlib.suppress(OSError):
                if file.is_file() and file.stat().st_size >= bound:
                    return True
    return False


def limits(memory_bytes: int | None, file_bytes: int | None = None) -> Callable[[], None]:
    """The ``preexec_fn`` of every converter: a new session, a memory cap, no core dumps.

    The new session makes the child the leader of its own process group, so
    :func:`kill_group` takes its grandchildren (soffice, pandoc) down with it.
    """

    def apply() -> None:
        os.setsid()
        if memory_bytes:
            resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if file_bytes:
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_bytes, file_bytes))

    return apply


def base_env(workdir: Path) -> dict[str, str]:
    """A minimal environment for converters: nothing of the worker's leaks in."""
    return {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(workdir),
        "TMPDIR": str(workdir),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        # Belt and braces without a sandbox: no proxy reachable, no network fetches.
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "no_proxy": "",
    }


def popen(
    cmd: list[str],
    *,
    workdir: Path,
    memory_bytes: int | None = None,
    sandbox: bool = False,
    env: dict[str, str] | None = None,
    stdin: int | None = subprocess.DEVNULL,
    stderr: int | None = subprocess.PIPE,
    ro_paths: Sequence[str] = (),
    mount_at: str | None = None,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` with the limits, the minimal environment and, if asked, the sandbox."""
    bound = scratch_bytes()
    if sandbox:
        cmd = sandboxed(cmd, workdir=workdir, ro_paths=ro_paths, mount_at=mount_at, tmp_bytes=bound)
    return subprocess.Popen(
        cmd,
        cwd=workdir,
        env={**base_env(workdir), **(env or {})},
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=stderr,
        preexec_fn=limits(memory_bytes, bound),
    )


def run(
    cmd: list[str],
    *,
    timeout: float,
    workdir: Path,
    memory_bytes: int | None = None,
    sandbox: bool = False,
    env: dict[str, str] | None = None,
    mount_at: str | None = None,
) -> Completed:
    """Run ``cmd`` to completion; on timeout kill its whole process group and raise Timeout.

    For converters that write a file and exit (cold soffice, pandoc); children
    that talk while they work use :mod:`.child`.
    """
    started = time.monotonic()
    proc = popen(
        cmd,
        workdir=workdir,
        memory_bytes=memory_bytes,
        sandbox=sandbox,
        env=env,
        mount_at=mount_at if sandbox else None,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise Timeout(timeout) from None
    except BaseException:
        kill_group(proc)
        raise
    return Completed(
        returncode=proc.returncode,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        timed_out=False,
        seconds=time.monotonic() - started,
    )


def kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill ``proc`` and everything it started (its session), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired, ValueError):
        proc.communicate(timeout=10)
