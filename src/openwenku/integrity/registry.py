"""The content checks and what they find.

Each check is a function ``fn(document) -> list[Finding]`` registered under a
stable code with :func:`register_check` (checks/<name>.py register themselves
when imported; apps.ready imports them). :func:`openwenku.integrity.services.run_checks`
runs every registered check and stores one :class:`~openwenku.integrity.models.CheckRun`
per check per document with one :class:`~openwenku.integrity.models.Hit` per finding.

Severity: ``info`` is recorded only (it may cost the upload reward, e.g.
low content); ``hold`` keeps the document from the public until a moderator
reviews it; ``reject`` refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from openwenku.documents.models import Document

Severity = Literal["info", "hold", "reject"]
# Outcome of a run: the strictest severity found, or "pass" when nothing was.
SEVERITY_RANK: dict[str, int] = {"pass": 0, "info": 1, "hold": 2, "reject": 3}


@dataclass
class Finding:
    kind: str  # "near_duplicate" | "sensitive_word" | "contact" | "qr_code" | "low_content" | ...
    severity: str  # "info" | "hold" | "reject"
    page: int | None = None  # 1-based page number; None = title/description/whole document
    excerpt: str = ""  # the matched text
    context: str = ""  # ±20 characters around it, from the original text
    score: float | None = None
    duplicate_of_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)


CheckFn = Callable[["Document"], list[Finding]]


@dataclass(frozen=True)
class Check:
    code: str
    fn: CheckFn
    label: Any  # shown to operators (a gettext_lazy string is fine)
    # It reads the title, description or tags: re-run when they are edited.
    metadata: bool = False


_checks: dict[str, Check] = {}


def register_check(code: str, fn: CheckFn, *, label: Any, metadata: bool = False) -> None:
    """Add (or replace, by code) a check; idempotent.

    ``metadata=True``: the check reads the title, description or tags, so it
    also re-runs when they are edited (every check re-runs when the text changes).
    """
    _checks[code] = Check(code=code, fn=fn, label=label, metadata=metadata)


def unregister_check(code: str) -> None:
    """Remove a check (tests)."""
    _checks.pop(code, None)


def checks() -> list[Check]:
    """Every registered check, in registration order."""
    return list(_checks.values())


def strictest(severities: list[str]) -> str:
    """The strictest of ``severities`` ("pass" for none)."""
    return max(severities, key=lambda s: SEVERITY_RANK.get(s, 0), default="pass")
