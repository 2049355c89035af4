"""Backup and restore round trip: a site with a converted document, a purchase
and a search index, backed up, restored into an empty data folder (and database),
then served: the same document page, page images, balances and search results."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from openwenku.conversion import pipeline
from openwenku.documents import services as documents
from openwenku.documents.models import Document
from openwenku.market.selectors import balance_of
from openwenku.market.services import coins_grant, purchase_create
from openwenku.search import selectors as search
from tests.ops.serving import SRC, get, serving

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.slow]

TEXT = (
    "核电厂定期安全审查的目的是确认电厂在整个运行寿期内保持足够的安全水平。"
    "审查应覆盖设计基准、设备老化、运行经验反馈和应急准备等方面。\n"
) * 12


def _openwenku(args: list[str], data_dir: Path, database_url: str | None) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC), "OPENWENKU_DATA_DIR": str(data_dir)}
    env.pop("OPENWENKU_SECRET_KEY", None)
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "-m", "openwenku", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _empty_postgres_database() -> str:
    """A new empty database next to the test database; its URL."""
    import psycopg

    s = connection.settings_dict
    name = f"openwenku_ops_restore_{uuid.uuid4().hex[:8]}"
    url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT'] or 5432}/"
    with psycopg.connect(url + "postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return url + name


def _drop_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')


def test_backup_and_restore_round_trip(member, django_user_model, tmp_path, settings):
    # --- a site: a converted .txt, a purchase, the search index --------------------
    source = tmp_path / "讲义.txt"
    source.write_text(TEXT, encoding="utf-8")
    doc = documents.document_create(
        owner=member, incoming=documents.incoming_from_path(source), title="定期安全审查讲义"
    )
    assert pipeline.convert(doc.pk) == "ready"
    doc.refresh_from_db()
    page_bytes = doc.pages.get(number=1).image.read()
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
        price=4,
    )
    buyer = django_user_model.objects.create_user(username="buyer", password="x-Passw0rd-1")
    coins_grant(user=buyer, amount=10, reason="test")
    purchase_create(buyer=buyer, document=paid, idempotency_key="b" * 32)
    balances = {"buyer": balance_of(buyer), "wangxm": balance_of(member)}
    assert balances["buyer"] == 6
    assert [h.document.pk for h in search.search_documents(query="设备老化").hits] == [doc.pk]

    # --- backup ----------------------------------------------------------------------
    dest = tmp_path / "backup"
    call_command("backup", str(dest), no_progress=True)
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["missing_files"] == []
    paths = {f["path"] for f in manifest["files"]}
    assert {doc.original.name, doc.pages.get(number=1).image.name} <= paths
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(dest), no_progress=True)
    # This site is not empty: restoring over it needs --force.
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(dest), no_progress=True)

    # --- restore into an empty site --------------------------------------------------
    target = tmp_path / "restored"
    database_url = _empty_postgres_database() if connection.vendor == "postgresql" else None
    try:
        out = _openwenku(["restore", str(dest), "--no-progress"], target, database_url)
        assert f"{manifest['file_count']} files" in out
        # Now the target has a site: a second restore needs --force, and then works.
        env = {**os.environ, "PYTHONPATH": str(SRC), "OPENWENKU_DATA_DIR": str(target)}
        env.pop("OPENWENKU_SECRET_KEY", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        else:
            env.pop("DATABASE_URL", None)
        refused = subprocess.run(
            [sys.executable, "-m", "openwenku", "restore", str(dest), "--no-progress"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert refused.returncode != 0 and "--force" in refused.stderr
        _openwenku(["restore", str(dest), "--force", "--no-progress"], target, database_url)
        shown = _openwenku(
            [
                "shell",
                "-c",
                "import json; from openwenku.accounts.models import User; "
                "from openwenku.market.selectors import balance_of; "
                "print(json.dumps({u.username: balance_of(u) for u in User.objects.all()}))",
            ],
            target,
            database_url,
        )
        restored_balances = json.loads(shown.strip().splitlines()[-1])
        assert {k: restored_balances[k] for k in balances} == balances

        env = {"DATABASE_URL": database_url} if database_url else {}
        with serving(target, env=env) as url:
            status, body = get(f"{url}/doc/{doc.pk}.html")
            html = body.decode()
            assert status == 200
            assert "定期安全审查讲义" in html
            match = re.search(r'<img src="([^"]+/page/1\?[^"]+)"', html)
            assert match, "no page image on the restored page"
            status, image = get(url + match.group(1).replace("&amp;", "&"))
            assert status == 200 and image == page_bytes
            status, body = get(f"{url}/search?q={quote('设备老化')}")
            assert status == 200 and f"/doc/{doc.pk}.html" in body.decode()
    finally:
        if database_url:
            _drop_postgres_database(database_url)


def test_restore_refuses_a_damaged_backup(member, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text(TEXT, encoding="utf-8")
    documents.document_create(
        owner=member, incoming=documents.incoming_from_path(source), title="原件"
    )
    dest = tmp_path / "backup"
    call_command("backup", str(dest), no_progress=True)
    manifest = json.loads((dest / "manifest.json").read_text())
    damaged = dest / "files" / manifest["files"][0]["path"]
    damaged.write_bytes(damaged.read_bytes() + b"!")
    with pytest.raises(CommandError, match="damaged or missing"):
        call_command("restore", str(dest), force=True, no_progress=True)
