"""The user types, named once: import them from here in annotations.

``User``
    A member: a row of ``accounts.User`` (``settings.AUTH_USER_MODEL``). Use it
    where only a logged-in person makes sense: an uploader, a buyer, an owner.
``Reader``
    Whoever is asking: a member or Django's ``AnonymousUser``. It is the type of
    ``request.user`` (django-stubs types ``request.user`` the same way), so a
    view passes ``request.user`` straight to a selector or an access check
    that takes a ``Reader``. ``if reader.is_authenticated:`` narrows a ``Reader``
    to ``User`` (and ``AnonymousUser`` in the ``else`` branch).
``AuthenticatedRequest``
    An ``HttpRequest`` whose ``user`` is a ``User``: the request type of a view
    behind ``login_required`` (a convention the type checker trusts, not a check).

Prefer them to ``settings.AUTH_USER_MODEL``, ``get_user_model()``,
``AbstractBaseUser`` or an unannotated ``user`` parameter: one place says what a
person is. Import them where you would import models (``User`` is the model
class), under ``TYPE_CHECKING`` when only annotations need them. ``core`` sits
below ``accounts`` and keeps ``get_user_model()``, which django-stubs resolves
to the same class.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from openwenku.accounts.models import User

Reader: TypeAlias = User | AnonymousUser

__all__ = ["AuthenticatedRequest", "Reader", "User"]


class AuthenticatedRequest(HttpRequest):
    """For annotations only: Django never builds one; it is a request whose user is a member."""

    user: User
