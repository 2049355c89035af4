"""The API's one error contract: every refusal answers its status and a stable
``code`` with a ``detail`` for people, mapped in one place (``api.urls``)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client

from openwenku.api.urls import as_application_error
from openwenku.core.errors import ApplicationError, NotFound

from .conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

JSON = "application/json"


def _client(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def _refusal(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_another_members_converting_document_is_not_found(users):
    doc = make_doc(users["uploader"], status="converting", pages=0)
    for reader in (None, users["other"]):
        _refusal(_client(reader).get(f"/api/documents/{doc.pk}"), 404, "not_found")
        _refusal(_client(reader).get(f"/api/market/documents/{doc.pk}/pages"), 404, "not_found")
    assert _client(users["uploader"]).get(f"/api/documents/{doc.pk}").status_code == 200
    # Even its uploader reads no pages before it is published.
    pages = _client(users["uploader"]).get(f"/api/market/documents/{doc.pk}/pages")
    _refusal(pages, 404, "not_found")
    _refusal(_client().get("/api/documents/999999"), 404, "not_found")


def test_anonymous_members_only_endpoints_answer_needs_login(users):
    doc = make_doc(users["uploader"], price=3)
    _refusal(_client().get("/api/documents/mine"), 401, "needs_login")
    _refusal(_client().get("/api/market/wallet"), 401, "needs_login")
    body = {"document_id": doc.pk, "idempotency_key": "k", "expected_price": 3}
    _refusal(_client().post("/api/market/purchases", body, content_type=JSON), 401, "needs_login")


def test_pricing_someone_elses_document_is_forbidden(users):
    doc = make_doc(users["uploader"], price=3)
    url = f"/api/market/documents/{doc.pk}/pricing"
    response = _client(users["other"]).put(url, {"price": 9}, content_type=JSON)
    _refusal(response, 403, "not_manager")
    doc.refresh_from_db()
    assert doc.price == 3


def test_an_invalid_price_answers_the_services_code(users):
    doc = make_doc(users["uploader"], price=3)
    url = f"/api/market/documents/{doc.pk}/pricing"
    response = _client(users["uploader"]).put(url, {"price": -1}, content_type=JSON)
    assert _refusal(response, 400, "price_negative")["detail"] == "The price cannot be negative."


def test_insufficient_coins_is_402_with_balance_and_price(users):
    doc = make_doc(users["uploader"], price=6)
    grant(users["buyer"], 5)
    body = {"document_id": doc.pk, "idempotency_key": "k1", "expected_price": 6}
    response = _client(users["buyer"]).post("/api/market/purchases", body, content_type=JSON)
    refusal = _refusal(response, 402, "insufficient_balance")
    assert (refusal["balance"], refusal["price"]) == (5, 6)


def test_an_idempotency_key_reused_for_another_document_is_409(users):
    first = make_doc(users["uploader"], price=2)
    second = make_doc(users["uploader"], price=2)
    grant(users["buyer"], 10)
    client = _client(users["buyer"])
    body = {"document_id": first.pk, "idempotency_key": "same", "expected_price": 2}
    assert client.post("/api/market/purchases", body, content_type=JSON).status_code == 201
    body = {"document_id": second.pk, "idempotency_key": "same", "expected_price": 2}
    response = client.post("/api/market/purchases", body, content_type=JSON)
    _refusal(response, 409, "idempotency_conflict")


def test_nothing_to_buy_is_refused_before_the_market_runs(users):
    free = make_doc(users["other"], price=0)
    own = make_doc(users["uploader"], price=4)
    client = _client(users["uploader"])
    for doc in (free, own):
        body = {"document_id": doc.pk, "idempotency_key": f"k{doc.pk}", "expected_price": doc.price}
        response = client.post("/api/market/purchases", body, content_type=JSON)
        _refusal(response, 409, "nothing_to_buy")


def test_signing_in_twice_a_day_is_409(users):
    client = _client(users["buyer"])
    assert client.post("/api/market/signin").status_code == 200
    _refusal(client.post("/api/market/signin"), 409, "already_signed_in")


def test_token_endpoint_refuses_bad_passwords_then_rate_limits(users):
    client = _client()
    bad = {"username": "buyer", "password": "wrong"}
    for _ in range(9):
        response = client.post("/api/auth/token", bad, content_type=JSON)
        body = _refusal(response, 401, "invalid_credentials")
    assert body["detail"] == "Invalid username or password."
    # The tenth failure locks the account; then even its password is refused.
    response = client.post("/api/auth/token", bad, content_type=JSON)
    _refusal(response, 429, "too_many_login_failures")
    good = {"username": "buyer", "password": "s3cret-Passw0rd"}
    response = client.post("/api/auth/token", good, content_type=JSON)
    _refusal(response, 429, "too_many_login_failures")
    assert int(response["Retry-After"]) > 0


def test_a_request_that_does_not_match_the_schema_is_422(users):
    client = _client(users["buyer"])
    response = client.post("/api/market/purchases", {"document_id": "x"}, content_type=JSON)
    body = _refusal(response, 422, "invalid_request")
    assert body["errors"] and body["errors"][0]["loc"][-1] == "document_id"


def test_upload_refusals_use_the_contract(users):
    client = _client(users["buyer"])
    _refusal(client.post("/api/documents", {}), 400, "file_missing")


@pytest.mark.parametrize(
    "exc,status,code",
    [
        (Http404(), 404, "not_found"),
        (PermissionDenied(), 403, "forbidden"),
        (ValueError("price must be positive"), 400, "invalid"),
        (NotFound(), 404, "not_found"),
        (ApplicationError(code="custom", status=418), 418, "custom"),
    ],
)
def test_django_refusals_and_bare_value_errors_map_to_generic_codes(exc, status, code):
    error = as_application_error(exc)
    assert (error.status, error.code) == (status, code)
    assert error.as_dict()["detail"]
