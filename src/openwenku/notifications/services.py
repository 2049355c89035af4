"""Sending notices, and marking them read.

``notify()`` is the one way to tell a member something: it stores the notice
(in the caller's transaction) and, for important kinds, queues its e-mail after
commit, so a rolled-back action never tells anyone anything.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openwenku.accounts.types import User

from . import kinds
from .models import Notification, Preferences


def _site_path(url: str) -> str:
    # Notices link within the site only: an absolute or scheme-relative address is dropped.
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url:
        return ""
    return url[:300]


def _json_safe(params: dict[str, Any]) -> dict[str, Any]:
    return {
        str(k): v if isinstance(v, int | float | bool) or v is None else str(v)
        for k, v in params.items()
    }


def notify(
    recipient: User, kind: str | kinds.Kind, *, url: str = "", **params: Any
) -> Notification:
    """Tell ``recipient`` about an event of ``kind`` (registered in kinds.py).

    ``params`` fill the kind's wording (plain values: they are stored as JSON);
    ``url`` is a path on this site the notice links to.
    """
    code = kind.code if isinstance(kind, kinds.Kind) else kind
    registered = kinds.get(code)
    if registered is kinds.UNKNOWN:
        raise ValueError(f"unknown notice kind {code!r}")
    notice = Notification.objects.create(
        recipient=recipient, kind=code, params=_json_safe(params), url=_site_path(url)
    )
    if registered.email and recipient.email and wants_email(recipient):
        from .tasks import email_notification

        transaction.on_commit(lambda: email_notification.enqueue(notice.pk))
    return notice


def wants_email(user: User) -> bool:
    prefs = Preferences.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
    return True if prefs is None else bool(prefs)


def preferences_set(*, user: User, email: bool) -> None:
    Preferences.objects.update_or_create(user_id=user.pk, defaults={"email": email})


def mark_read(*, user: User, ids: list[int] | None = None) -> int:
    """Mark the member's unread notices read (``ids``: only those); returns how many."""
    unread: QuerySet[Notification] = Notification.objects.filter(
        recipient_id=user.pk, read_at__isnull=True
    )
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
