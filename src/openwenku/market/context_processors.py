from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def wallet(request: HttpRequest) -> dict[str, Any]:
    """The member's balance and whether they signed in today, for the top bar;
    their VIP state (``vip``: ``selectors.VipStatus``) for the document page.

    Lazy: one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def load() -> dict[str, Any]:
        from django.db.models import Exists, OuterRef
        from django.utils import timezone

        from .models import SignIn, Wallet

        today = SignIn.objects.filter(user_id=user.pk, day=timezone.localdate())
        row = (
            Wallet.objects.filter(user_id=user.pk)
            .annotate(signed=Exists(today.filter(user_id=OuterRef("user_id"))))
            .values("balance", "signed")
            .first()
        )
        if row is None:
            return {"balance": 0, "signed_in_today": today.exists()}
        return {"balance": row["balance"], "signed_in_today": row["signed"]}

    def load_vip() -> Any:
        from .selectors import vip_status

        return vip_status(user)

    return {"wallet": SimpleLazyObject(load), "vip": SimpleLazyObject(load_vip)}
