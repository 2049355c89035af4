"""Issue 14: the first operator's one-time password (printed once by `serve`)
must be changed at first login: every page leads to the password change until
then, and the API refuses."""

import pytest
from django.contrib.auth import get_user_model

from openwenku.core.services import operator_ensure

NEW_PASSWORD = "Wenku-new-passw0rd!"


@pytest.fixture
def operator(db):
    name, password = operator_ensure()
    return get_user_model().objects.get(username=name), password


def _log_in(client, username, password, next_url="/admin/"):
    return client.post(
        f"/accounts/login/?next={next_url}",
        {"username": username, "password": password},
        follow=True,
    )


def test_first_login_leads_to_the_password_change_until_changed(client, operator):
    user, password = operator
    assert user.must_change_password

    response = _log_in(client, user.username, password)
    assert response.redirect_chain[-1][0] == "/accounts/password/change/"
    html = response.content.decode()
    assert 'id="must-change-password"' in html
    assert "一次性密码" in html  # in Chinese
    for url in ("/", "/admin/", "/upload/", "/my/wallet/", "/search?q=x"):
        assert client.get(url)["Location"] == "/accounts/password/change/", url
    api = client.get("/api/documents/mine")
    assert api.status_code == 403
    assert api.json()["code"] == "password_change_required"
    # Static files, the language and logging out still work.
    assert client.get("/favicon.ico").status_code == 302
    assert client.get("/favicon.ico")["Location"].startswith("/static/")

    response = client.post(
        "/accounts/password/change/",
        {"old_password": password, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/accounts/password/change/done/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


def test_members_are_never_asked(member_client):
    assert member_client.get("/").status_code == 200
    assert member_client.get("/my/wallet/").status_code == 200


def test_a_wrong_old_password_keeps_the_prompt(client, operator):
    user, _password = operator
    client.force_login(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.must_change_password
    assert client.get("/")["Location"] == "/accounts/password/change/"


def test_readme_path_to_the_password_change_is_what_the_site_shows(member_client, member):
    """README: "your name at the top right → 个人资料 → 修改密码"."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "your name at the top right → 个人资料 → 修改密码" in " ".join(readme.split())
    header = member_client.get("/").content.decode()
    assert f'<a href="/accounts/profile/">{member.display_name}</a>' in header
    profile = member_client.get("/accounts/profile/").content.decode()
    assert "<h1>个人资料</h1>" in profile
    assert '<a href="/accounts/password/change/">修改密码</a>' in profile


def test_the_one_time_password_gets_no_api_token(client, operator):
    user, password = operator
    response = client.post(
        "/api/auth/token",
        {"username": user.username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "password_change_required"
    assert not user.api_tokens.exists()
