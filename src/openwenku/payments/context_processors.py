from typing import Any

from django.http import HttpRequest

from .config import providers_enabled


def recharge(request: HttpRequest) -> dict[str, Any]:
    """Whether the recharge page exists (a provider is configured)."""
    return {"recharge_enabled": bool(providers_enabled())}
