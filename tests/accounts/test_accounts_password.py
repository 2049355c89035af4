import re

import pytest
from django.core import mail
from django.urls import reverse

from openwenku.accounts.models import User

PASSWORD = "Correct-Horse-42"  # make_user's default
NEW_PASSWORD = "Brand-New-Secret-77"

pytestmark = pytest.mark.django_db


def can_log_in(client, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    client.logout()
    return response.status_code == 302


def test_password_change(client, make_user):
    client.force_login(make_user())
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert 'name="old_password"' in page.content.decode()

    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:password_change_done"), 302)]
    assert "Your password has been changed." in response.content.decode()
    # Still logged in on this browser.
    assert client.get(reverse("accounts:profile")).status_code == 200

    assert can_log_in(client, "alice", NEW_PASSWORD)
    assert not can_log_in(client, "alice", PASSWORD)


def test_password_change_needs_the_old_password(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert User.objects.get(username="alice").check_password(PASSWORD)


def test_password_change_needs_login(client):
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_reset_by_email(client, make_user):
    make_user(display_name="王小明")
    response = client.post(reverse("accounts:password_reset"), {"email": "ALICE@example.com"})
    assert response.status_code == 302
    assert response.url == reverse("accounts:password_reset_done")
    assert "Check your e-mail" in client.get(response.url).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "Reset your password on OpenWenku"  # the default site name
    assert "Hello 王小明," in message.body
    assert "alice" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)", message.body)
    assert link, message.body

    # The link leads, via a token-less URL, to a form for the new password.
    response = client.get(link.group(1), follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Set a new password" in content
    set_password_url = response.redirect_chain[-1][0]

    response = client.post(
        set_password_url,
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:password_reset_complete"), 302)]
    assert "Your new password has been set." in response.content.decode()

    assert can_log_in(client, "alice", NEW_PASSWORD)
    assert not can_log_in(client, "alice", PASSWORD)

    # The link works once only.
    response = client.get(link.group(1))
    assert "Invalid reset link" in response.content.decode()


def test_password_reset_link_uses_configured_site_url(client, make_user, settings):
    settings.SITE_URL = "https://wenku.example.org"
    settings.ALLOWED_HOSTS = ["*"]  # an operator's explicit choice; the default refuses the host
    make_user()
    client.post(
        reverse("accounts:password_reset"), {"email": "alice@example.com"}, HTTP_HOST="evil.example"
    )
    body = mail.outbox[0].body
    assert "https://wenku.example.org/accounts/password/reset/" in body
    assert "evil.example" not in body


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, db):
    response = client.post(
        reverse("accounts:password_reset"), {"email": "nobody@example.com"}, follow=True
    )
    assert "Check your e-mail" in response.content.decode()
    assert mail.outbox == []
