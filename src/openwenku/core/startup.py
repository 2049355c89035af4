"""Checks a command runs before it starts conversion workers on this machine.

The apps that need something of the machine (conversion: the bubblewrap
sandbox) register a check; ``serve`` (which starts a worker beside the web
server) and ``worker`` run them all and stop with the check's message.
"""

from __future__ import annotations

from collections.abc import Callable


class StartupError(RuntimeError):
    """This machine cannot run what the command would start; the message says why."""


WorkerCheck = Callable[[], None]
_worker_checks: list[WorkerCheck] = []


def register_worker_check(fn: WorkerCheck) -> WorkerCheck:
    """Add a check (idempotent); it raises StartupError when workers cannot run."""
    if fn not in _worker_checks:
        _worker_checks.append(fn)
    return fn


def run_worker_checks() -> None:
    """Raise the first StartupError of the registered checks."""
    for check in list(_worker_checks):
        check()
