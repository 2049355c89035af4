import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from openwenku.accounts.models import User
from openwenku.accounts.services import user_register

PASSWORD = "Correct-Horse-42"  # make_user's default

pytestmark = pytest.mark.django_db


def register(client, *, next_url=None, **overrides):
    data = {
        "username": "alice",
        "display_name": "",
        "email": "alice@example.com",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    url = reverse("accounts:register")
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data)


def follow_activation_link(client, message=None):
    """Open the link the last registration mail carries and press its button."""
    message = message or mail.outbox[-1]
    link = re.search(r"http://testserver(/accounts/register/activate/\S+/)", message.body)
    assert link, message.body
    assert client.get(link[1]).status_code == 200
    return client.post(link[1])


def test_register_page_shows_the_form(client):
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Register</h1>" in content
    for name in ("username", "display_name", "email", "password1", "password2"):
        assert f'name="{name}"' in content


def test_register_mails_a_link_that_logs_the_user_in_and_goes_home(client):
    response = register(client, display_name="  王小明  ")
    assert response.status_code == 302
    assert response.url == reverse("accounts:register_sent")
    sent = client.get(response.url).content.decode()
    assert "We sent a link to <strong>alice@example.com</strong>" in sent
    assert not User.objects.filter(username="alice").exists()

    response = follow_activation_link(client)
    assert response.status_code == 302
    assert response.url == reverse("home")

    profile = client.get(reverse("accounts:profile"))
    assert profile.status_code == 200
    content = profile.content.decode()
    assert "alice" in content
    assert "Welcome, 王小明! Your account has been created." in content
    user = User.objects.get(username="alice")
    assert user.display_name == "王小明"
    assert user.email == "alice@example.com"
    assert user.check_password(PASSWORD)


def test_register_follows_a_safe_next_and_ignores_an_unsafe_one(client):
    register(client, next_url="/accounts/profile/?tab=1")
    assert follow_activation_link(client).url == "/accounts/profile/?tab=1"

    client.post(reverse("accounts:logout"))
    register(client, next_url="https://evil.example/", username="bob", email="bob@example.com")
    assert follow_activation_link(client).url == reverse("home")


def test_register_page_keeps_next_in_the_form(client):
    response = client.get(reverse("accounts:register") + "?next=/accounts/profile/")
    assert 'name="next" value="/accounts/profile/"' in response.content.decode()


def test_duplicate_email_is_not_said_but_mailed_to_its_owner_whatever_its_case(client, make_user):
    # Whether an address has an account is never shown (issue 11, item 13: see
    # tests/security/test_item13_registration_enumeration.py): its owner is told by mail.
    make_user(username="alice", email="alice@example.com")
    response = register(client, username="alice2", email="ALICE@Example.COM")
    assert response.status_code == 302
    assert response.url == reverse("accounts:register_sent")
    assert "already exists" not in client.get(response.url).content.decode()
    assert not User.objects.filter(username="alice2").exists()
    assert client.get(reverse("accounts:profile")).status_code == 302
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "tried to register" in message.body and "/register/activate/" not in message.body


def test_duplicate_username_differing_in_case_is_refused(client, make_user):
    make_user(username="alice")
    response = register(client, username="ALICE", email="other@example.com")
    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()


def test_email_is_required(client):
    response = register(client, email="")
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not User.objects.exists()


def test_username_may_not_contain_at_sign(client):
    response = register(client, username="alice@home")
    assert response.status_code == 200
    assert "Usernames cannot contain “@”" in response.content.decode()
    assert not User.objects.exists()


def test_mismatched_passwords_are_refused(client):
    response = register(client, password2=PASSWORD + "x")
    assert response.status_code == 200
    assert "The two password fields didn’t match." in response.content.decode()
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("display_name", "message"),
    [
        ("王" * 51, "at most 50 characters"),
        ("bad\x07name", "Display names cannot contain control characters."),
        ("evil\u202eeman", "Display names cannot contain control characters."),
    ],
)
def test_bad_display_names_are_refused(client, display_name, message):
    response = register(client, display_name=display_name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()


def test_display_name_of_exactly_50_characters_is_accepted(client):
    register(client, display_name="名" * 50)
    follow_activation_link(client)
    assert User.objects.get(username="alice").display_name == "名" * 50


def test_logged_in_user_visiting_register_is_sent_on(client, make_user):
    client.force_login(make_user())
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_service_creates_a_member_and_checks_like_the_form(make_user):
    user = user_register(
        username="carol", email="carol@EXAMPLE.com", password=PASSWORD, display_name=" 小红 "
    )
    assert (user.username, user.email, user.display_name) == (
        "carol",
        "carol@example.com",
        "小红",
    )
    assert user.check_password(PASSWORD)
    assert not user.is_staff

    with pytest.raises(ValidationError) as exc:
        user_register(username="dave", email="CAROL@example.com", password=PASSWORD)
    assert "email" in exc.value.error_dict

    with pytest.raises(ValidationError) as exc:
        user_register(username="erin", email="erin@example.com", password="123")
    assert "password" in exc.value.error_dict
    assert not User.objects.filter(username__in=["dave", "erin"]).exists()
