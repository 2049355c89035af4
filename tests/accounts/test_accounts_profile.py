import pytest
from django.urls import reverse

from openwenku.accounts.models import User

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:login')}?next={PROFILE}"


def test_profile_shows_username_and_masked_name(client, make_user):
    client.force_login(make_user())
    content = client.get(reverse("accounts:profile")).content.decode()
    assert "alice" in content
    assert '<dd class="masked-name">a**</dd>' in content
    assert 'value="alice@example.com"' in content


def test_profile_edit_changes_display_and_masked_name(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": " 王小明 ", "email": "alice@example.com"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("accounts:profile"), 302)]
    content = response.content.decode()
    assert "Your profile has been saved." in content
    assert '<dd class="masked-name">王**</dd>' in content
    assert 'value="王小明"' in content
    assert User.objects.get(username="alice").display_name == "王小明"

    # Clearing the display name falls back to the username.
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "   ", "email": "alice@example.com"},
        follow=True,
    )
    assert '<dd class="masked-name">a**</dd>' in response.content.decode()


def test_profile_edit_changes_email(client, make_user):
    client.force_login(make_user())
    client.post(
        reverse("accounts:profile"),
        {"display_name": "", "email": "new@example.com", "current_password": "Correct-Horse-42"},
    )
    assert User.objects.get(username="alice").email == "new@example.com"


def test_profile_refuses_an_address_taken_by_someone_else(client, make_user):
    make_user(username="bob", email="bob@example.com")
    client.force_login(make_user(display_name="Alice"))
    response = client.post(
        reverse("accounts:profile"), {"display_name": "Changed", "email": "BOB@example.com"}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "An account with this e-mail address already exists." in content
    # The refused change shows nowhere as if it had been saved.
    assert '<dd class="masked-name">A**</dd>' in content
    user = User.objects.get(username="alice")
    assert (user.display_name, user.email) == ("Alice", "alice@example.com")


def test_profile_keeps_own_address_in_other_case(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("accounts:profile"), {"display_name": "", "email": "Alice@Example.com"}
    )
    assert response.status_code == 302


def test_profile_refuses_control_characters(client, make_user):
    client.force_login(make_user())
    response = client.post(
        reverse("accounts:profile"), {"display_name": "a\x00b", "email": "alice@example.com"}
    )
    assert response.status_code == 200
    assert User.objects.get(username="alice").display_name == ""


def test_admin_lists_and_searches_display_names(client, make_user):
    make_user(username="wang", email="wang@example.com", display_name="王小明")
    admin = make_user(username="root", email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get(reverse("admin:accounts_user_changelist"), {"q": "小明"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "王小明" in content
    assert "root@example.com" not in content

    wang = User.objects.get(username="wang")
    response = client.get(reverse("admin:accounts_user_change", args=[wang.pk]))
    assert response.status_code == 200
    assert 'name="display_name"' in response.content.decode()
