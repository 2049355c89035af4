from __future__ import annotations

from typing import Any

from openwenku.accounts.types import User

from .models import AuditEntry


def _plain(details: dict[str, Any]) -> dict[str, Any]:
    return {
        str(k): v if isinstance(v, int | float | bool | list | dict) or v is None else str(v)
        for k, v in details.items()
    }


def audit_record(
    action: str,
    *,
    actor: User | None,
    document: Any = None,
    member: User | None = None,
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    """Write one entry (in the caller's transaction: an action rolled back leaves none).

    ``document`` is any object with ``pk`` and ``title`` (a Document); ``member``
    the member acted on (by default the document's uploader)."""
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}")
    if member is None and document is not None:
        member = getattr(document, "owner", None)
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else "",
        document_id=getattr(document, "pk", None),
        document_title=str(getattr(document, "title", ""))[:255],
        member=member,
        member_name=member.get_username() if member is not None else "",
        reason=reason,
        details=_plain(details),
    )
