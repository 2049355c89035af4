from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread(request: HttpRequest) -> dict[str, Any]:
    """The member's unread notice count for the top bar (lazy: one COUNT, when shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def load() -> int:
        from .selectors import unread_count

        return unread_count(user)

    return {"unread_notices": SimpleLazyObject(load)}
