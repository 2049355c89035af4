"""A web process loads jieba, OpenCC and the search code before it serves, so
no reader's first search waits for them (benchmarks/first_request.py times it)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from tests.ops.serving import get, serving

pytestmark = pytest.mark.slow


def test_serve_answers_its_first_request_warm(tmp_path):
    token = "scrape-token-for-the-serve-test"
    with serving(tmp_path / "data", env={"OPENWENKU_METRICS_TOKEN": token}) as url:
        # The very first request this web process answers.
        status, body = get(f"{url}/healthz")
        health = json.loads(body)
        assert status == 200, health
        assert health["warm"] is True
        status, _ = get(f"{url}/search?q={quote('核电厂')}")
        assert status == 200
        # Metrics add up the web processes' samples (multiprocess mode under serve).
        status, body = get(f"{url}/metrics", {"Authorization": f"Bearer {token}"})
        assert status == 200
        assert 'openwenku_request_duration_seconds_count{method="GET",view="search:search"}' in (
            body.decode()
        )


def test_healthz_is_503_when_the_database_is_broken(tmp_path):
    data = tmp_path / "data"
    with serving(data) as url:
        assert get(f"{url}/healthz")[0] == 200
        for suffix in ("", "-wal", "-shm"):
            (data / f"openwenku.sqlite3{suffix}").unlink(missing_ok=True)
        (data / "openwenku.sqlite3").write_bytes(b"not a database " * 100)
        status, body = get(f"{url}/healthz")
        health = json.loads(body)
        assert status == 503
        assert health["checks"]["database"]["ok"] is False
        assert health["checks"]["storage"]["ok"] is True
        assert "queue" not in health["checks"]
