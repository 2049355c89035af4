import csv
import os
import threading
from pathlib import Path

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from tests.shared import CORPUS

# Workers, `serve` and `import` started by tests as processes publish at once too (the
# site's default policy holds a new member's first uploads for review; tests/moderation
# sets the policy it tests).
os.environ.setdefault("OPENWENKU_REVIEW_POLICY", "none")


def corpus_file(name: str) -> Path:
    path = CORPUS / "main" / name
    if not path.exists():
        pytest.skip(f"corpus file missing: {name}")
    return path


def corpus_manifest() -> list[dict]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with open(manifest, encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Every test writes files under its own temporary data directory."""
    settings.MEDIA_ROOT = tmp_path / "files"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "files")},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DATA_DIR = tmp_path
    # Local-memory caches outlive a test; rate-limit counters must not.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _site_url(settings):
    """The test client's host is the site's public address (links in e-mails).

    ALLOWED_HOSTS keeps the production default; Django's test setup adds
    "testserver" to it.
    """
    settings.SITE_URL = "http://testserver"


@pytest.fixture(autouse=True)
def _publish_at_once(settings):
    """Uploads publish at once unless a test asks for review (tests/moderation does):
    the site's default policy holds a new member's first uploads for an operator."""
    settings.OPENWENKU = {**settings.OPENWENKU, "REVIEW_POLICY": "none"}


@pytest.fixture
def categories(db):
    """The default category tree (transactional tests flush the migration's seed)."""
    from openwenku.discovery.defaults import seed_default_categories
    from openwenku.documents.models import Category

    seed_default_categories(Category)


@pytest.fixture
def member(django_user_model):
    return django_user_model.objects.create_user(
        username="wangxm",
        password="s3cret-Passw0rd",
        email="wang@example.com",
        display_name="王小明",
    )


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def run_worker() -> None:
    """Run every queued task through the real database worker, then return.

    The worker loop itself, without the command's signal handlers, so it also
    runs in a thread beside a live server."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def background_worker(transactional_db):
    """A worker thread draining the queue while a test (or a browser) acts."""
    stop = threading.Event()

    def loop():
        from django.db import connection

        while not stop.is_set():
            run_worker()
            stop.wait(0.3)
        connection.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=60)
