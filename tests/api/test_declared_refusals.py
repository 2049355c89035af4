"""Refusals the API gives by design are declared in its OpenAPI schema, so clients
(and tests/api/test_schema_fuzz.py) know them: a token without the scope an
endpoint needs (403), an upload past the daily quota (429)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openwenku.api.models import ApiToken
from tests.market.conftest import make_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema():
    return Client().get("/api/openapi.json").json()


def _declared(schema, method, path):
    return {int(s) for s in schema["paths"][path][method]["responses"]}


def test_a_token_without_the_read_scope_is_a_declared_403(schema, users):
    doc = make_doc(users["uploader"])
    _token, raw = ApiToken.issue(user=users["buyer"], scopes=["upload", "money"])
    client = Client(headers={"authorization": f"Bearer {raw}"})
    checked = 0
    for path, operations in schema["paths"].items():
        if "get" not in operations or "{token_id}" in path:
            continue
        url = path.replace("{document_id}", str(doc.pk))
        response = client.get(url)
        if path == "/api/categories":
            assert response.status_code == 200  # open to all: no token is read
            continue
        assert response.status_code == 403, (path, response.content)
        assert response.json()["code"] == "insufficient_scope"
        assert 403 in _declared(schema, "get", path), path
        checked += 1
    assert checked >= 11


def test_an_upload_past_the_daily_quota_is_a_declared_429(schema, users, settings):
    settings.OPENWENKU = {**settings.OPENWENKU, "UPLOAD_FILES_PER_DAY": 1}
    make_doc(users["uploader"])
    _token, raw = ApiToken.issue(user=users["uploader"], scopes=["read", "upload"])
    upload = SimpleUploadedFile("笔记.txt", "今天的笔记".encode(), content_type="text/plain")
    response = Client().post("/api/documents", {"file": upload}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "upload_quota_files"
    assert 429 in _declared(schema, "post", "/api/documents")
