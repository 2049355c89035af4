from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from openwenku.accounts.types import User

from .models import ApiToken


class TokenAuth(HttpBearer):
    """``Authorization: Bearer owk_…``"""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


AUTH = [TokenAuth(), django_auth]


def anonymous(request: HttpRequest) -> bool:
    """Last resort for endpoints open to everyone: the request goes on as anonymous."""
    return True


OPTIONAL_AUTH = [TokenAuth(), django_auth, anonymous]
