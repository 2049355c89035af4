"""Site-level services: the operator account on first start."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.utils.translation import gettext


def operator_ensure(*, username: str = "admin") -> tuple[str, str] | None:
    """Create an operator if the site has none; return (username, one-time password).

    Returns None when an operator already exists: nothing is printed twice and
    no password is ever reset behind the operator's back.
    """
    User = get_user_model()
    if User.objects.filter(is_superuser=True, is_active=True).exists():
        return None
    name = username
    while User.objects.filter(username=name).exists():
        name = f"{username}{secrets.randbelow(10000)}"
    password = secrets.token_urlsafe(12)
    # A stored name, written once in the language active now (the site's default).
    display_name = gettext("Administrator")
    # The password was printed on a console: its owner must replace it at first login.
    User.objects.create_superuser(
        username=name,
        email="",
        password=password,
        display_name=display_name,
        must_change_password=True,
    )
    return name, password
