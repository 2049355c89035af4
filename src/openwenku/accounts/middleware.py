"""The first operator's one-time password (printed once by ``openwenku serve``)
must be replaced before anything else: while ``must_change_password`` is set,
every page leads to the password change form, and the API refuses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.shortcuts import redirect

from .services import PasswordChangeRequired

# What such a member may still reach: the change itself, leaving, the language.
ALLOWED_URL_NAMES = frozenset(
    {
        "accounts:password_change",
        "accounts:password_change_done",
        "accounts:logout",
        "set_language",
        "favicon",
        "discovery:robots",
        "healthz",
    }
)


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        user = getattr(request, "user", None)
        if not (user is not None and user.is_authenticated and user.must_change_password):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED_URL_NAMES:
            return None
        if request.path.startswith(settings.STATIC_URL):
            return None
        if match is not None and match.namespace == "api":
            error = PasswordChangeRequired()
            return JsonResponse(error.as_dict(), status=error.status)
        return redirect("accounts:password_change")
