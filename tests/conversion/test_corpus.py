"""Every file of the shared corpus through the real pipeline (slow; CI runs it).

ok/cjk/scanned files end ready with their pages; encrypted ones fail with a
password message; broken ones end within the limits, ready with what could be
recovered or failed (or refused at upload) with a reason. Nothing hangs and
nothing crashes the worker.
"""

import re
import time

import pytest

from openwenku.conversion import pipeline
from openwenku.documents import services
from openwenku.documents.models import Document
from tests.conftest import CORPUS, corpus_manifest
from tests.shared import HELD_FOR_CONTACTS

ROWS = [r for r in corpus_manifest() if r["set"] == "main"]
CJK_FONT = re.compile(rb"/BaseFont\s*/[A-Z]{6}\+(Noto|AR|WenQuanYi|Droid|Source)")


@pytest.fixture
def quick_limits(settings):
    # Tighter than production so a hostile file costs CI at most a minute.
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "CONVERT_TIMEOUT": 60,
        "RENDER_TIMEOUT": 120,
        "PAGE_TIMEOUT": 30,
    }


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[r["local_path"].split("/", 1)[1] for r in ROWS])
def test_corpus_file(row, member, quick_limits):
    path = CORPUS / row["local_path"]
    expected = row["expected"]
    started = time.monotonic()
    try:
        document = services.document_create(
            owner=member, incoming=services.incoming_from_path(path)
        )
    except services.UploadRefused as exc:
        assert expected == "broken", f"refused a {expected} file: {exc.message}"
        assert exc.message
        return
    status = pipeline.convert(document.pk)
    elapsed = time.monotonic() - started
    document = Document.objects.get(pk=document.pk)
    assert elapsed < 60 + 120 + 10

    if expected in ("ok", "cjk", "scanned"):
        if row["local_path"] in HELD_FOR_CONTACTS:
            # Converted, then held by the content checks: it advertises a site.
            assert (status, document.failure_code) == ("held", "contact"), status
        else:
            assert status == "ready", document.failure_reason
        assert document.page_count >= 1
        assert document.pages.count() == document.page_count
        first = document.pages.get(number=1)
        with first.image.open("rb") as fh:
            head = fh.read(12)
        assert head[8:12] == b"WEBP" or head[:8] == b"\x89PNG\r\n\x1a\n"
        if expected == "cjk" and document.format != "pdf":
            with document.pdf.open("rb") as fh:
                assert CJK_FONT.search(fh.read()), "CJK text not drawn with a CJK font"
    elif expected == "encrypted":
        assert status == "failed"
        assert document.failure_code == "encrypted", document.failure_reason
    else:
        assert status in ("ready", "failed")
        if status == "failed":
            assert document.failure_reason and document.failure_code
            assert document.failure_code != "internal", document.failure_reason
        else:
            assert document.pages.count() == document.page_count >= 1
