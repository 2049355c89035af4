"""Authenticate with a username or an e-mail address."""

from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from .types import User

UserModel = get_user_model()


class UsernameOrEmailBackend(ModelBackend):
    """Django's model backend, also accepting the account's e-mail address.

    The username wins when one account's username equals another's address;
    an address shared by several accounts (possible only for data created
    outside the site's forms) logs in none of them.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = self.find_user(username)
        if user is None:
            # Hash once anyway so response time does not reveal unknown accounts.
            UserModel().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        return await sync_to_async(self.authenticate)(
            request, username=username, password=password, **kwargs
        )

    @staticmethod
    def find_user(identifier: str) -> User | None:
        """The one account a username or e-mail address names, if any."""
        manager = UserModel._default_manager
        try:
            return manager.get_by_natural_key(identifier)
        except UserModel.DoesNotExist:
            pass
        if "@" not in identifier:
            return None
        email_field = UserModel.get_email_field_name()
        matches = list(manager.filter(**{f"{email_field}__iexact": identifier.strip()})[:2])
        return matches[0] if len(matches) == 1 else None
