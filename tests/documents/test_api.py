"""The JSON API: token and session auth, upload, status, my documents."""

import pytest
from django.test import Client

from openwenku.documents.models import Document
from tests.conftest import corpus_file, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def token(client, member):
    response = client.post(
        "/api/auth/token",
        {"username": "wangxm", "password": "s3cret-Passw0rd"},
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


def test_openapi_schema_is_published(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/documents" in schema["paths"]
    assert "/api/documents/{document_id}" in schema["paths"]


def test_bad_credentials_are_refused(client, member):
    response = client.post(
        "/api/auth/token",
        {"username": "wangxm", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"


def test_upload_status_and_list_with_a_token(client, token, categories):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    path = corpus_file("pdfjs__tracemonkey.pdf")
    with open(path, "rb") as fh:
        response = client.post(
            "/api/documents",
            {"file": fh, "title": "追踪编译", "category": "papers", "tags": "JIT 编译器"},
            **auth,
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "追踪编译"
    assert body["status"] == "uploaded"
    assert body["category"]["slug"] == "papers"
    assert sorted(body["tags"]) == ["JIT", "编译器"]
    assert body["uploader"] == "王**"

    # Not ready: invisible to anonymous readers, visible to its uploader.
    assert client.get(f"/api/documents/{body['id']}").status_code == 404
    run_worker()
    got = client.get(f"/api/documents/{body['id']}", **auth).json()
    assert got["status"] == "ready"
    assert got["page_count"] == 14 and got["pages_ready"] == 14
    assert client.get(f"/api/documents/{body['id']}").status_code == 200

    mine = client.get("/api/documents/mine", **auth).json()
    assert mine["count"] == 1 and mine["results"][0]["id"] == body["id"]


def test_session_auth_works_and_anonymous_is_refused(member_client):
    assert Client().get("/api/documents/mine").status_code == 401
    assert Client().post("/api/documents", {}).status_code == 401
    assert member_client.get("/api/documents/mine").status_code == 200


def test_api_upload_errors_are_clear(client, token, tmp_path):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.post("/api/documents", {}, **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "file_missing"
    exe = tmp_path / "setup.docx"
    exe.write_bytes(b"MZ" + b"\0" * 200)
    with open(exe, "rb") as fh:
        response = client.post("/api/documents", {"file": fh}, **auth)
    assert response.status_code == 400
    assert "setup.docx" in response.json()["detail"]
    assert response.json()["code"] == "upload_refused"
    with open(exe, "rb") as fh:
        response = client.post("/api/documents", {"file": fh, "category": "no-such"}, **auth)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_category"
    assert Document.objects.count() == 0
