"""Issue 11, item 7: upload quotas per request and per member per day; a refusal
says which limit and when it resets, and nothing is stored for refused files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from openwenku.documents.models import Document

pytestmark = [pytest.mark.django_db]


def _txt(name: str, size: int = 2000) -> SimpleUploadedFile:
    line = "上传配额测试的正文内容，每一行都是普通的中文文本。\n".encode()
    body = (line * (size // len(line) + 1))[:size]
    body = body[: len(body.decode("utf-8", "ignore").encode())]
    return SimpleUploadedFile(name, body, content_type="text/plain")


@pytest.fixture
def quotas(settings):
    def set_(**values):
        settings.OPENWENKU = {**settings.OPENWENKU, **values}

    return set_


@pytest.fixture
def member_web(users):
    client = Client()
    client.force_login(users["other"])
    return client


def test_item07_files_per_request(member_web, quotas):
    quotas(UPLOAD_FILES_PER_REQUEST=2)
    response = member_web.post(
        "/upload/",
        {"files": [_txt("a.txt"), _txt("b.txt"), _txt("c.txt")]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "2" in response.json()["errors"][0]
    assert Document.objects.count() == 0


def test_item07_files_per_day(member_web, quotas):
    quotas(UPLOAD_FILES_PER_DAY=2)
    codes = [
        member_web.post("/api/documents", {"file": _txt(f"{n}.txt")}).status_code for n in range(3)
    ]
    assert codes == [201, 201, 429]
    refused = member_web.post("/api/documents", {"file": _txt("x.txt")}).json()
    assert refused["code"] == "upload_quota_files" and ":" in refused["detail"]  # reset time
    assert Document.objects.count() == 2


def test_item07_bytes_per_day(member_web, quotas):
    quotas(UPLOAD_MB_PER_DAY=1)
    first = member_web.post("/api/documents", {"file": _txt("big.txt", 700_000)})
    assert first.status_code == 201
    second = member_web.post("/api/documents", {"file": _txt("big2.txt", 700_000)})
    assert second.status_code == 429 and second.json()["code"] == "upload_quota_bytes"
    assert Document.objects.count() == 1


def test_item07_operators_are_exempt(users, quotas):
    quotas(UPLOAD_FILES_PER_DAY=1)
    operator = Client()
    operator.force_login(users["operator"])
    codes = [
        operator.post("/api/documents", {"file": _txt(f"{n}.txt")}).status_code for n in range(2)
    ]
    assert codes == [201, 201]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_item07_parallel_uploads_cannot_pass_the_daily_quota(users, quotas):
    """Eight uploads at once by one member with two left today: exactly two are stored."""
    import threading

    from django.db import connection

    from openwenku.documents.services import IncomingFile, UploadQuotaExceeded, document_create

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    quotas(UPLOAD_FILES_PER_DAY=2)
    member = users["other"]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def upload(n: int, tmp: str) -> None:
        from pathlib import Path

        path = Path(tmp) / f"{n}.txt"
        body = ("并发上传配额测试。" * 50 + str(n)).encode()
        path.write_bytes(body)
        import hashlib

        incoming = IncomingFile(
            path=path, name=f"{n}.txt", size=len(body), sha256=hashlib.sha256(body).hexdigest()
        )
        barrier.wait()
        try:
            document_create(owner=member, incoming=incoming)
            outcomes.append("stored")
        except UploadQuotaExceeded:
            outcomes.append("refused")
        finally:
            connection.close()

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        threads = [threading.Thread(target=upload, args=(n, tmp)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(outcomes) == ["refused"] * 6 + ["stored"] * 2
    assert Document.objects.filter(owner=member).count() == 2
