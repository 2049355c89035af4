"""Issue 11, item 13 (part): changing the e-mail address (where reset mails go) and
the password both ask for the current password, so an open session is not enough
to take an account over."""

import pytest
from django.urls import reverse

from openwenku.accounts.models import User

pytestmark = [pytest.mark.django_db]

PASSWORD = "s3cret-Passw0rd"  # the users fixture's


def _change_email(client, **extra):
    data = {"display_name": "", "email": "thief@example.com", **extra}
    return client.post(reverse("accounts:profile"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_item13_email_change_without_password_is_refused(client, users):
    client.force_login(users["other"])
    response = _change_email(client)
    assert response.status_code == 200
    assert "Enter your current password to change your e-mail address." in (
        response.content.decode()
    )
    assert User.objects.get(username="other").email == "other@example.com"


def test_item13_email_change_with_wrong_password_is_refused(client, users):
    client.force_login(users["other"])
    response = _change_email(client, current_password="not-the-password")
    assert response.status_code == 200
    assert User.objects.get(username="other").email == "other@example.com"


def test_item13_email_change_with_current_password_is_saved(client, users):
    client.force_login(users["other"])
    response = _change_email(client, current_password=PASSWORD)
    assert response.status_code == 302
    assert User.objects.get(username="other").email == "thief@example.com"


def test_item13_display_name_change_needs_no_password(client, users):
    client.force_login(users["other"])
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Alice", "email": "other@example.com"}
    )
    assert response.status_code == 302
    assert User.objects.get(username="other").display_name == "Alice"


def test_item13_password_change_needs_the_current_password(client, users):
    client.force_login(users["other"])
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "wrong",
            "new_password1": "N3w-Secret-99",
            "new_password2": "N3w-Secret-99",
        },
    )
    assert response.status_code == 200
    assert User.objects.get(username="other").check_password(PASSWORD)
