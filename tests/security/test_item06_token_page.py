"""Issue 11, item 6 (remainder): a member manages their API tokens on a page of the
member centre: lists them (never their values), creates one with chosen scopes (its
value shown once), and revokes one; another member's token cannot be revoked."""

import re

import pytest
from django.test import Client

from openwenku.api.models import ApiToken

pytestmark = [pytest.mark.django_db]

PAGE = "/my/tokens/"
TOKEN = re.compile(r"owk_[A-Za-z0-9_-]{20,}")


def _member(users, name="buyer"):
    client = Client(headers={"accept-language": "en"}, enforce_csrf_checks=False)
    client.force_login(users[name])
    return client


def _bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _create(client, name="备份脚本", scopes=("read",)):
    return client.post(PAGE, {"name": name, "scopes": list(scopes)}, follow=True)


def test_item06_page_is_for_members_and_linked_from_the_profile(users):
    anonymous = Client().get(PAGE)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous.url
    client = _member(users)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    for scope in ("read", "upload", "money"):
        assert f'value="{scope}"' in html
    assert 'href="/my/tokens/"' in client.get("/accounts/profile/").content.decode()


def test_item06_created_token_is_shown_once_and_works(users):
    client = _member(users)
    created = _create(client, scopes=("read", "money"))
    assert created.status_code == 200
    secrets = TOKEN.findall(created.content.decode())
    assert len(set(secrets)) == 1
    raw = secrets[0]
    token = ApiToken.objects.get(user=users["buyer"])
    assert token.name == "备份脚本" and token.scope_list == ["read", "money"]

    # Shown once: the list shows the name and scopes, never the value again.
    again = client.get(PAGE).content.decode()
    assert raw not in again and not TOKEN.search(again)
    assert "备份脚本" in again and token.prefix in again

    api = Client()
    wallet = api.get("/api/market/wallet", **_bearer(raw))
    assert wallet.status_code == 200
    # Only the scopes ticked: no upload.
    assert api.post("/api/documents", {}, **_bearer(raw)).status_code == 403


def test_item06_a_token_needs_a_scope(users):
    client = _member(users)
    refused = client.post(PAGE, {"name": "x", "scopes": []})
    assert refused.status_code == 200
    assert not ApiToken.objects.exists()
    assert not TOKEN.search(refused.content.decode())


def test_item06_revoked_token_stops_working(users):
    client = _member(users)
    raw = TOKEN.findall(_create(client).content.decode())[0]
    token = ApiToken.objects.get(user=users["buyer"])
    html = client.get(PAGE).content.decode()
    revoke = f"/my/tokens/{token.pk}/revoke"
    assert f'action="{revoke}"' in html and "data-confirm=" in html
    assert client.get(revoke).status_code == 405  # a POST only
    response = client.post(revoke, follow=True)
    assert response.status_code == 200
    assert Client().get("/api/market/wallet", **_bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_item06_revoke_needs_the_csrf_token(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["buyer"])
    token, raw = ApiToken.issue(user=users["buyer"], name="t")
    assert client.post(f"/my/tokens/{token.pk}/revoke").status_code == 403
    assert Client().get("/api/market/wallet", **_bearer(raw)).status_code == 200


def test_item06_another_member_cannot_revoke_mine(users):
    token, raw = ApiToken.issue(user=users["buyer"], name="mine")
    intruder = _member(users, "other")
    assert intruder.post(f"/my/tokens/{token.pk}/revoke").status_code == 404
    assert "mine" not in intruder.get(PAGE).content.decode()
    assert Client().get("/api/market/wallet", **_bearer(raw)).status_code == 200
