import pytest
from django.urls import reverse

PASSWORD = "Correct-Horse-42"  # make_user's default

pytestmark = pytest.mark.django_db


def login(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def is_logged_in(client):
    return client.get(reverse("accounts:profile")).status_code == 200


def test_login_page_shows_the_form_and_the_site_texts(client):
    response = client.get(reverse("accounts:login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Username or e-mail" in content
    assert reverse("accounts:password_reset") in content
    # Django's LoginView sets its own `site`; the page must keep the site's texts (the
    # default ones, in the reader's language: English here).
    assert '<a class="brand" href="/">OpenWenku</a>' in content
    assert "Documents here are traded between members" in content


def test_login_with_username(client, make_user):
    make_user()
    response = login(client, "alice")
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_logged_in(client)


def test_login_with_email_ignores_case(client, make_user):
    make_user()
    response = login(client, "Alice@EXAMPLE.com")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_login_follows_safe_next_only(client, make_user):
    make_user()
    response = client.post(
        reverse("accounts:login") + "?next=/accounts/profile/",
        {"username": "alice", "password": PASSWORD},
    )
    assert response.url == "/accounts/profile/"
    client.post(reverse("accounts:logout"))
    response = client.post(
        reverse("accounts:login"),
        {"username": "alice", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.url == reverse("home")


def test_wrong_password_is_refused(client, make_user):
    make_user()
    response = login(client, "alice", "wrong-password")
    assert response.status_code == 200
    assert "Please enter a correct username or e-mail address and password." in (
        response.content.decode()
    )
    assert not is_logged_in(client)


def test_inactive_user_cannot_log_in(client, make_user):
    make_user(is_active=False)
    response = login(client, "alice@example.com")
    assert response.status_code == 200
    assert not is_logged_in(client)


def test_database_refuses_a_second_account_with_the_same_address(make_user):
    from django.db import IntegrityError, transaction

    make_user(username="alice", email="same@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(username="alice2", email="SAME@example.com")


def test_logout_needs_post(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert is_logged_in(client)

    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[0] == (reverse("home"), 302)
    assert not is_logged_in(client)


def test_logout_says_so(client, make_user):
    client.force_login(make_user())
    client.post(reverse("accounts:logout"))
    # The message shows on the next page that renders messages.
    response = client.get(reverse("accounts:login"))
    assert "You have been logged out." in response.content.decode()


def test_failed_logins_are_rate_limited(client, make_user):
    make_user()
    for _ in range(9):
        assert login(client, "alice", "wrong-password").status_code == 200
    # The tenth failure locks the account (429, the form with a clear message).
    assert login(client, "alice", "wrong-password").status_code == 429

    # Even the right password is refused now.
    response = login(client, "alice")
    assert response.status_code == 429
    assert "Too many failed login attempts. Please wait 15 minutes" in response.content.decode()
    assert not is_logged_in(client)

    # The lock is the account's (its name in any case), from any address.
    response = login(client, "ALICE")
    assert "Too many failed login attempts" in response.content.decode()
    assert login(client, "alice", REMOTE_ADDR="10.0.0.9").status_code == 429


def test_successful_login_resets_the_failure_count(client, make_user):
    make_user()
    for _ in range(9):
        login(client, "alice", "wrong-password")
    assert login(client, "alice").status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(9):
        login(client, "alice", "wrong-password")
    assert login(client, "alice").status_code == 302


def test_pages_default_to_simplified_chinese(db):
    from django.test import Client

    response = Client().get(reverse("accounts:login"))
    content = response.content.decode()
    assert '<html lang="zh-hans">' in content
    assert "密码" in content  # Django's own catalogue labels the password field
