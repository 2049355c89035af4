"""A NUL character in any text the API reads is refused as an invalid request (422,
``invalid_request``), before it reaches PostgreSQL, whose text fields cannot hold
it (found by tests/api/test_schema_fuzz.py: a 500 on PostgreSQL); search, lenient
by design, ignores it instead."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openwenku.api.models import ApiToken

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
NUL = "\x00"


@pytest.fixture
def bearer(users):
    _token, raw = ApiToken.issue(user=users["buyer"], scopes=["read", "upload", "money"])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_nul_in_a_query_is_refused(bearer):
    response = Client().get(f"/api/documents/mine?status={NUL}", **bearer)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_request"


@pytest.mark.parametrize(
    "url",
    [
        f"/api/search?q=a{NUL}b",
        f"/api/search?category={NUL}x",
        f"/api/search?format={NUL}",
        f"/api/search?price={NUL}",
        f"/api/search?sort={NUL}",
        f"/api/search/suggest?q={NUL}",
    ],
)
def test_search_ignores_what_it_cannot_use_nul_too(bearer, url):
    # Search is lenient, like the search page: see tests/search/test_search.py.
    assert Client().get(url, **bearer).status_code == 200


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/auth/token", {"username": f"buyer{NUL}", "password": "x"}),
        ("/api/auth/token", {"username": "buyer", "password": "x", "name": NUL}),
        (
            "/api/market/purchases",
            {"document_id": 1, "idempotency_key": f"k{NUL}", "expected_price": 1},
        ),
        ("/api/market/withdrawals", {"amount": 100, "account": f"{NUL}acct"}),
    ],
)
def test_nul_in_a_json_body_is_refused(bearer, url, body):
    response = Client().post(url, body, content_type="application/json", **bearer)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_request"


@pytest.mark.parametrize("field", ["title", "description", "category", "tags"])
def test_nul_in_an_upload_form_field_is_refused(bearer, field):
    upload = SimpleUploadedFile("a.txt", "正文".encode(), content_type="text/plain")
    response = Client().post("/api/documents", {"file": upload, field: f"x{NUL}y"}, **bearer)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_request"
