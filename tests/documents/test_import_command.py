"""`openwenku import`: bulk import by an operator, one JSON line per file."""

import json
import shutil
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from openwenku.documents.models import Document
from tests.conftest import corpus_file


@pytest.mark.django_db
def test_import_folder_with_wait(tmp_path, member, categories):
    folder = tmp_path / "批量"
    (folder / "子目录").mkdir(parents=True)
    shutil.copy(corpus_file("pdfjs__tracemonkey.pdf"), folder / "追踪.pdf")
    shutil.copy(
        corpus_file("tika__testWORD_protected_passtika.docx"), folder / "子目录" / "加密.docx"
    )
    (folder / "空文件.txt").write_bytes(b"")
    out = StringIO()
    call_command(
        "import",
        str(folder),
        owner="wangxm",
        category="论文/毕业论文",
        price=3,
        wait=True,
        stdout=out,
        stderr=StringIO(),
    )
    rows = {
        json.loads(line)["path"].split("/")[-1]: json.loads(line)
        for line in out.getvalue().splitlines()
    }
    assert rows["追踪.pdf"]["status"] == "ready" and rows["追踪.pdf"]["pages"] == 14
    assert rows["加密.docx"]["status"] == "failed" and rows["加密.docx"]["code"] == "encrypted"
    assert (
        rows["加密.docx"]["error"]
        == Document.objects.get(pk=rows["加密.docx"]["id"]).failure_message
    )
    assert rows["空文件.txt"]["status"] == "refused" and rows["空文件.txt"]["id"] is None
    doc = Document.objects.get(pk=rows["追踪.pdf"]["id"])
    assert doc.price == 3 and doc.category.name == "毕业论文" and doc.owner.username == "wangxm"


@pytest.mark.django_db
def test_import_without_wait_queues(tmp_path, member):
    shutil.copy(corpus_file("pdfjs__tracemonkey.pdf"), tmp_path / "a.pdf")
    out = StringIO()
    call_command("import", str(tmp_path / "a.pdf"), owner="wangxm", stdout=out)
    row = json.loads(out.getvalue())
    assert row["status"] == "uploaded" and row["id"]


def test_console_command_lists_project_and_django_commands():
    result = subprocess.run(
        [sys.executable, "-m", "openwenku", "help"], capture_output=True, text=True, check=True
    )
    for name in ("serve", "worker", "import", "migrate", "createsuperuser"):
        assert name in result.stdout
