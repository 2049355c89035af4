"""The API's own state changes: issuing a personal token (for a password, or
to a member on their token page) and revoking one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils import timezone

from openwenku.accounts import throttling
from openwenku.accounts.services import PasswordChangeRequired
from openwenku.core.errors import NotFound

from .errors import InvalidCredentials, TooManyFailedLogins
from .models import DEFAULT_SCOPES, ApiToken

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def token_create(
    *,
    request: HttpRequest,
    username: str,
    password: str,
    name: str = "",
    scopes: Iterable[str] = DEFAULT_SCOPES,
    days: int | None = None,
) -> tuple[ApiToken, str]:
    """A new token (and its raw value, shown once) for a member's password.

    Raises :class:`TooManyFailedLogins` once the login throttle locks the
    account or the address (the site's one throttle, django-axes: it sees the
    attempt through ``request``), :class:`InvalidCredentials` for a wrong
    username or password.
    """
    user = authenticate(request, username=username, password=password)
    if user is None:
        if throttling.is_locked_out(request):
            raise TooManyFailedLogins(retry_after=throttling.login_retry_after())
        raise InvalidCredentials
    if getattr(user, "must_change_password", False):
        # A one-time password opens nothing but its own replacement (accounts.middleware).
        raise PasswordChangeRequired
    return ApiToken.issue(user=user, name=name, scopes=scopes, days=days)


def token_issue(
    *, user: User, name: str = "", scopes: Iterable[str] = DEFAULT_SCOPES, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for a member already signed in (the token page); its raw value
    is returned once and never stored."""
    return ApiToken.issue(user=user, name=name.strip(), scopes=scopes, days=days)


def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s tokens (idempotent); another member's is not found."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise NotFound
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
