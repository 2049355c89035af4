"""Talk to a converter child process: JSON lines out, deadlines, a group kill.

The warm LibreOffice (lo_pool.py), the page renderers (pages.py) and OCR
(ocr_pipeline.py) all run foreign-file code in a child that prints one JSON
object per line as it works. This module is that protocol, written once: the
child starts with the limits of sandbox.py (own session, memory cap, minimal
environment, optionally bubblewrap), the parent reads its lines with a
deadline, and whatever happens the child's whole process group is killed.

A line split across reads is joined before it is parsed; a child that closes
its output (it exited or crashed) raises :class:`ChildExited`, one that stays
silent past the deadline raises :class:`ChildTimeout`.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import openwenku

from . import sandbox

_CHUNK = 1 << 16


class ChildExited(Exception):
    """The child closed its output: it exited, crashed or was killed."""


class ChildTimeout(Exception):
    """The child sent no complete line before the deadline."""

    def __init__(self, seconds: float):
        super().__init__(f"timed out after {seconds:.0f} s")
        self.seconds = seconds


def python_env() -> dict[str, str]:
    """What a ``python -m openwenku…`` child needs on top of the minimal environment.

    Only the import path: the child must run the very code of this process
    (a checkout, an editable install), nothing else of the worker's leaks in.
    """
    return {"PYTHONPATH": str(Path(openwenku.__file__).resolve().parent.parent)}


def python_ro_paths(*inputs: Path) -> list[str]:
    """What a sandboxed Python child must see read-only: interpreter, libraries, our code."""
    root = str(Path(openwenku.__file__).resolve().parent.parent)
    paths = {sys.prefix, sys.base_prefix, sys.exec_prefix, root}
    paths.add(str(Path(sys.executable).resolve().parent.parent))
    return sorted(paths) + [str(p.resolve()) for p in inputs]


def python_module(module: str, *args: str) -> list[str]:
    """The command that runs ``module`` under this interpreter."""
    return [sys.executable, "-m", module, *args]


class Child:
    """One converter child and its line buffer."""

    def __init__(
        self,
        cmd: list[str],
        *,
        workdir: Path,
        memory_bytes: int | None = None,
        isolated: bool = False,
        env: dict[str, str] | None = None,
        interactive: bool = False,
        ro_paths: Sequence[str] = (),
        mount_at: str | None = None,
    ) -> None:
        """Start ``cmd`` in ``workdir`` (its only writable place when ``isolated``).

        ``isolated`` runs it in the bubblewrap sandbox; ``interactive`` gives it a
        stdin for requests (otherwise it reads nothing); ``env`` adds to the
        minimal environment of sandbox.base_env; ``mount_at`` is where an
        ``isolated`` child sees ``workdir`` (sandbox.inside).
        """
        self.proc = sandbox.popen(
            cmd,
            workdir=workdir,
            memory_bytes=memory_bytes,
            sandbox=isolated,
            env=env,
            stdin=subprocess.PIPE if interactive else subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            ro_paths=ro_paths,
            mount_at=mount_at if isolated else None,
        )
        self._buf = b""

    # -- lifecycle -------------------------------------------------------------
    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """Kill the child's whole process group (idempotent)."""
        sandbox.kill_group(self.proc)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.kill()

    # -- protocol --------------------------------------------------------------
    def fileno(self) -> int:
        assert self.proc.stdout is not None
        return self.proc.stdout.fileno()

    def send(self, message: dict[str, Any]) -> None:
        """Write one request line; raise ChildExited if the child is gone."""
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except OSError as exc:  # BrokenPipeError included
            raise ChildExited(str(exc)) from None

    def feed(self) -> bool:
        """Read what the child has written (call when its output is ready); False at EOF."""
        chunk = os.read(self.fileno(), _CHUNK)
        self._buf += chunk
        return bool(chunk)

    def messages(self) -> Iterator[dict[str, Any]]:
        """The complete lines read so far, parsed; a partial line waits for more."""
        while b"\n" in self._buf:
            line, self._buf = self._buf.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)

    def read(self, timeout: float) -> dict[str, Any]:
        """The next message, waiting at most ``timeout`` seconds for it."""
        deadline = time.monotonic() + timeout
        while True:
            for message in self.messages():
                return message
            left = deadline - time.monotonic()
            if left <= 0 or not wait_readable([self], left):
                raise ChildTimeout(timeout)
            if not self.feed():
                raise ChildExited(f"exited with status {self.proc.wait()}")


def wait_readable(children: Sequence[Child], timeout: float) -> list[Child]:
    """The children with output (or EOF) to read, after at most ``timeout`` seconds."""
    by_fd = {child.fileno(): child for child in children}
    ready = select.select(list(by_fd), [], [], max(0.0, timeout))[0]
    return [by_fd[fd] for fd in ready]
