"""Issue 11, item 6: API tokens expire, carry scopes, can be listed and revoked by
their owner, and die when the owner's password changes."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from openwenku.api.models import ApiToken
from tests.market.conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
JSON = "application/json"


def _token(client, user, **extra) -> str:
    body = {"username": user.username, "password": "s3cret-Passw0rd", **extra}
    response = client.post("/api/auth/token", body, content_type=JSON)
    assert response.status_code == 201, response.content
    return response.json()["token"]


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_item06_tokens_have_scopes(users):
    client = Client()
    doc = make_doc(users["uploader"], price=3)
    grant(users["buyer"], 10)
    plain = _token(client, users["buyer"])  # read and upload only, by default
    assert client.get("/api/market/wallet", **_bearer(plain)).status_code == 200
    buy = {"document_id": doc.pk, "idempotency_key": "k1", "expected_price": 3}
    refused = client.post("/api/market/purchases", buy, content_type=JSON, **_bearer(plain))
    assert refused.status_code == 403 and refused.json()["code"] == "insufficient_scope"
    money = _token(client, users["buyer"], scopes=["read", "money"])
    bought = client.post("/api/market/purchases", buy, content_type=JSON, **_bearer(money))
    assert bought.status_code == 201
    upload = client.post("/api/documents", {}, **_bearer(money))
    assert upload.status_code == 403 and upload.json()["code"] == "insufficient_scope"


def test_item06_tokens_expire(users, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "API_TOKEN_DAYS": 30}
    client = Client()
    raw = _token(client, users["buyer"], days=365)  # asks for more than the site allows
    token = ApiToken.objects.get(user=users["buyer"])
    assert token.expires_at <= timezone.now() + dt.timedelta(days=30, minutes=1)
    assert client.get("/api/market/wallet", **_bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert client.get("/api/market/wallet", **_bearer(raw)).status_code == 401


def test_item06_owner_lists_and_revokes(users):
    client = Client()
    raw = _token(client, users["buyer"], name="laptop")
    other = _token(client, users["other"], name="theirs")
    listed = client.get("/api/auth/tokens", **_bearer(raw)).json()
    assert [t["name"] for t in listed] == ["laptop"]  # only one's own, never the value
    assert "token" not in listed[0] and listed[0]["active"] is True
    theirs = ApiToken.objects.get(user=users["other"]).pk
    assert client.delete(f"/api/auth/tokens/{theirs}", **_bearer(raw)).status_code == 404
    mine = listed[0]["id"]
    assert client.delete(f"/api/auth/tokens/{mine}", **_bearer(raw)).status_code == 204
    assert client.get("/api/market/wallet", **_bearer(raw)).status_code == 401
    assert client.get("/api/market/wallet", **_bearer(other)).status_code == 200


def test_item06_a_new_password_revokes_every_token(users):
    client = Client()
    raw = _token(client, users["buyer"])
    assert client.get("/api/market/wallet", **_bearer(raw)).status_code == 200
    web = Client()
    web.force_login(users["buyer"])
    changed = web.post(
        "/accounts/password/change/",
        {
            "old_password": "s3cret-Passw0rd",
            "new_password1": "an0ther-Secret-99",
            "new_password2": "an0ther-Secret-99",
        },
    )
    assert changed.status_code in (200, 302)
    users["buyer"].refresh_from_db()
    assert users["buyer"].check_password("an0ther-Secret-99")
    assert client.get("/api/market/wallet", **_bearer(raw)).status_code == 401
