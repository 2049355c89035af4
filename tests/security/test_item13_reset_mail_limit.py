"""Issue 11, item 13 (part): reset mails cannot be sent to a victim without limit,
and the refusal reveals nothing (the same "sent" page)."""

import pytest
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.django_db]


def test_item13_reset_mails_to_one_address_are_limited(users):
    victim = users["other"].email
    for n in range(6):
        client = Client(REMOTE_ADDR=f"198.51.100.{n}")  # many clients, one victim
        response = client.post("/accounts/password/reset/", {"email": victim})
        assert response.status_code == 302  # the same answer every time
    assert len(mail.outbox) == 3


def test_item13_reset_requests_from_one_client_are_limited(users, django_user_model):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(12):
        django_user_model.objects.create_user(
            username=f"member{n}", password="x", email=f"member{n}@example.com"
        )
        client.post("/accounts/password/reset/", {"email": f"member{n}@example.com"})
    assert len(mail.outbox) == 10
