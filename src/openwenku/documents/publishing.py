"""The publish gate: may a converted document go public?

Apps above documents (integrity's content checks) register a gate in their
AppConfig.ready(); conversion asks ``decide(document)`` under its lease just
before publishing and publishes READY, HELD or REJECTED. Documents knows no
gate by name, so it stays below the apps that judge content. The strictest
verdict wins (reject > hold > publish) and every reason is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Action = Literal["publish", "hold", "reject"]
_RANK = {"publish": 0, "hold": 1, "reject": 2}


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass
class Verdict:
    action: Action = "publish"
    reasons: list[Reason] = field(default_factory=list)


Gate = Callable[[object], Verdict]
_gates: list[Gate] = []


def register_gate(fn: Gate) -> Gate:
    """Add a gate (idempotent: registering the same function twice keeps one)."""
    if fn not in _gates:
        _gates.append(fn)
    return fn


def decide(document: object) -> Verdict:
    """Run every gate; the strictest action wins, reasons of that action first."""
    verdict = Verdict()
    for gate in list(_gates):
        result = gate(document)
        if _RANK[result.action] > _RANK[verdict.action]:
            verdict = Verdict(result.action, list(result.reasons) + verdict.reasons)
        elif result.action != "publish":
            verdict.reasons.extend(result.reasons)
    return verdict
