"""Reads about members that lower and sibling layers need: penalties in force."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import Penalty, User


def penalties_in_force(user: User, *, at: datetime | None = None) -> QuerySet[Penalty]:
    """The member's penalties in force at ``at`` (now), latest ending last (permanent last)."""
    return Penalty.objects.in_force(at).filter(member_id=user.pk).order_by("ends_at", "id")


def penalty_in_force(user: User, kind: str, *, at: datetime | None = None) -> Penalty | None:
    """The penalty of ``kind`` in force on ``user`` that ends last (a permanent one first), or None.

    No cron: the query compares ``ends_at`` with now, so a penalty expires by itself."""
    if not getattr(user, "pk", None):
        return None
    found = list(penalties_in_force(user, at=at).filter(kind=kind))
    if not found:
        return None
    permanent = [p for p in found if p.ends_at is None]
    if permanent:
        return permanent[0]
    return max(found, key=lambda p: p.ends_at or timezone.now())


def member_penalties(user: User) -> QuerySet[Penalty]:
    """All the member's penalties, newest first (for their own page and the operators)."""
    return Penalty.objects.filter(member_id=user.pk).order_by("-starts_at", "-id")
