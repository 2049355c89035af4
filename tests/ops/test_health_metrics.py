"""/healthz for load balancers, /metrics for Prometheus, JSON logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from openwenku.core.logformat import JsonFormatter
from openwenku.documents import services as documents
from openwenku.documents.models import Document
from openwenku.market.services import coins_grant, purchase_create

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TOKEN = "metrics-token-for-tests"


def _txt(tmp_path: Path, name: str = "讲义.txt") -> Path:
    path = tmp_path / name
    path.write_text("核电厂定期安全审查。" * 60, encoding="utf-8")
    return path


def test_healthz_reports_every_dependency_and_the_queue(
    client, member, tmp_path, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # queued after commit
        documents.document_create(
            owner=member, incoming=documents.incoming_from_path(_txt(tmp_path)), title="讲义"
        )  # queued for conversion, no worker runs here
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["status"] == "ok"
    checks = body["checks"]
    assert all(checks[name]["ok"] for name in ("database", "storage", "cache", "queue"))
    assert checks["queue"]["depth"] == 1
    assert checks["queue"]["oldest_age_seconds"] >= 0
    assert checks["queue"]["ocr_backlog_pages"] == 0
    assert checks["cache"]["backend"] == "file"
    # No secrets, no paths: only states and figures.
    text = response.content.decode()
    assert settings.SECRET_KEY not in text and str(settings.DATA_DIR) not in text
    # The storage probe left nothing behind.
    assert not list((Path(settings.MEDIA_ROOT) / "healthz").glob("*"))


def test_healthz_is_503_when_the_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the storage folder should be")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked)},
        },
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    assert str(blocked) not in response.content.decode()


def test_healthz_is_503_when_redis_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_healthz_on_redis(client, redis_cache):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == {**response.json()["checks"]["cache"], "ok": True}
    assert response.json()["checks"]["cache"]["backend"] == "redis"


def test_metrics_are_hidden_unless_configured(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = []
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW = ["10.0.0.0/8"]
    assert client.get("/metrics").status_code == 404  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200


def _sample(text: str, prefix: str) -> float:
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    assert lines, f"no sample {prefix!r} in:\n{text}"
    return float(lines[0].rsplit(" ", 1)[1])


def test_metrics_count_the_site(
    client, member, django_user_model, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.METRICS_TOKEN = TOKEN
    with django_capture_on_commit_callbacks(execute=True):  # queued after commit
        documents.document_create(
            owner=member, incoming=documents.incoming_from_path(_txt(tmp_path)), title="讲义"
        )
    Document.objects.create(
        owner=member,
        title="失败的文档",
        original_name="x.docx",
        size=10,
        sha256="f" * 64,
        format="docx",
        status=Document.Status.FAILED,
        failure_code="encrypted",
    )
    paid = Document.objects.create(
        owner=member,
        title="付费文档",
        original_name="p.docx",
        size=11,
        sha256="e" * 64,
        format="docx",
        status=Document.Status.READY,
        page_count=1,
        pages_ready=1,
        price=5,
    )
    buyer = django_user_model.objects.create_user(username="buyer", password="x-Passw0rd-1")
    coins_grant(user=buyer, amount=20, reason="test")
    purchase_create(buyer=buyer, document=paid, idempotency_key="k" * 32)
    assert client.get("/").status_code == 200
    client.get("/no-such-page/at/all")

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert _sample(text, "openwenku_conversion_queue_depth ") == 1
    assert _sample(text, 'openwenku_conversion_failures{reason="encrypted"}') == 1
    assert _sample(text, "openwenku_purchases_total ") == 1
    assert _sample(text, "openwenku_purchase_coins_total ") == 5
    assert _sample(text, "openwenku_ocr_backlog_pages ") == 0
    # Latency by the resolved view's name, never by raw path.
    assert _sample(text, 'openwenku_request_duration_seconds_count{method="GET",view="home"}') >= 1
    assert 'view="unresolved"' in text
    assert "no-such-page" not in text


def test_json_log_lines():
    record = logging.makeLogRecord(
        {"name": "openwenku.test", "levelname": "WARNING", "msg": "转换 %s", "args": ("失败",)}
    )
    record.document_id = 42
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "转换 失败"
    assert line["level"] == "WARNING" and line["logger"] == "openwenku.test"
    assert line["document_id"] == 42 and "time" in line
