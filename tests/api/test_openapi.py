"""The OpenAPI schema builds and documents the error contract."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.json()


def _ref(schema, path, method, status):
    content = schema["paths"][path][method]["responses"][str(status)]["content"]
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]


def test_error_schema_is_published(schema):
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["required"]) == {"code", "detail"}
    insufficient = schema["components"]["schemas"]["InsufficientCoinsOut"]
    assert {"balance", "price", "code", "detail"} <= set(insufficient["properties"])


def test_endpoints_document_their_refusals(schema):
    assert _ref(schema, "/api/documents/{document_id}", "get", 404) == "ErrorOut"
    assert _ref(schema, "/api/market/purchases", "post", 402) == "InsufficientCoinsOut"
    assert _ref(schema, "/api/market/purchases", "post", 409) == "ErrorOut"
    assert _ref(schema, "/api/auth/token", "post", 429) == "ErrorOut"
    assert _ref(schema, "/api/search", "get", 422) == "ValidationErrorOut"


def test_every_path_is_still_served(schema):
    assert {
        "/api/auth/token",
        "/api/categories",
        "/api/documents",
        "/api/documents/mine",
        "/api/documents/{document_id}",
        "/api/market/wallet",
        "/api/market/ledger",
        "/api/market/signin",
        "/api/market/purchases",
        "/api/market/documents/{document_id}/pages",
        "/api/market/documents/{document_id}/pricing",
        "/api/market/withdrawals",
        "/api/market/earnings",
        "/api/search",
        "/api/search/suggest",
    } <= set(schema["paths"])
    mine = schema["paths"]["/api/documents/mine"]["get"]
    assert {p["name"] for p in mine["parameters"]} == {"page", "status"}
