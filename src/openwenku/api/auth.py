"""Who calls the API: a personal token (``Authorization: Bearer owk_…``) with
the scope an endpoint needs, or the site's own session (which may do all)."""

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from openwenku.accounts.types import User

from .models import ApiToken, Scope


class TokenAuth(HttpBearer):
    """A live token of an active member that carries ``scope``."""

    def __init__(self, scope: str = Scope.READ) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.authenticate(token, self.scope)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(Scope.READ), django_auth]
UPLOAD_AUTH = [TokenAuth(Scope.UPLOAD), django_auth]
MONEY_AUTH = [TokenAuth(Scope.MONEY), django_auth]
MODERATE_AUTH = [TokenAuth(Scope.MODERATE), django_auth]


def anonymous(request: HttpRequest) -> bool:
    """Last resort for endpoints open to everyone: the request goes on as anonymous."""
    return True


OPTIONAL_AUTH = [TokenAuth(Scope.READ), django_auth, anonymous]
