"""Issue 11, item 2 (part): one client address cannot create accounts without limit;
the refusal says why and when to try again, and creates no account."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings

from openwenku.accounts.models import User

pytestmark = [pytest.mark.django_db]

PASSWORD = "Correct-Horse-42"


def _register(client, n):
    return client.post(
        "/accounts/register/",
        {
            "username": f"newcomer{n}",
            "display_name": "",
            "email": f"newcomer{n}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


def _activate_all():
    """Follow every activation link mailed so far (accounts exist once activated)."""
    for message in mail.outbox:
        link = re.search(r"https?://[^/\s]+(/accounts/register/activate/\S+/)", message.body)
        assert Client().post(link[1]).status_code == 302


def _limited(limit):
    return override_settings(
        OPENWENKU={**settings.OPENWENKU, "REGISTRATIONS_PER_IP_PER_DAY": limit}
    )


def test_item02_registrations_from_one_address_are_limited():
    with _limited(3):
        for n in range(3):
            response = _register(Client(REMOTE_ADDR="203.0.113.7"), n)
            assert response.status_code == 302
        response = _register(Client(REMOTE_ADDR="203.0.113.7", HTTP_ACCEPT_LANGUAGE="en"), 3)
    _activate_all()
    assert response.status_code == 200
    text = response.content.decode()
    assert "Too many accounts have been created from your network address" in text
    assert "try again in 24 hours" in text
    assert not User.objects.filter(username="newcomer3").exists()
    assert User.objects.filter(username__startswith="newcomer").count() == 3


def test_item02_other_addresses_still_register():
    with _limited(1):
        assert _register(Client(REMOTE_ADDR="203.0.113.7"), 0).status_code == 302
        assert _register(Client(REMOTE_ADDR="203.0.113.7"), 1).status_code == 200
        assert _register(Client(REMOTE_ADDR="198.51.100.2"), 2).status_code == 302
