"""The near-duplicate check on real converted documents: the first uploader wins.

Members upload through the real pipeline (LibreOffice, page rendering, the
publish gate running the checks); what they observe is the document's status,
the reason they are shown and the stored finding linking the earlier document.
"""

from __future__ import annotations

import pytest

from openwenku.documents.models import Document
from openwenku.integrity import selectors
from tests.conftest import corpus_file
from tests.integrity.conftest import convert_file

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

GUIDE = "chatchat__核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）"
OTHER_PART = (
    "chatchat__核电厂定期安全审查指南 第6部分：构筑物、系统和部件的实际状态-（征求意见稿）.docx"
)
SCAN = "ocrmypdf__cardinal.pdf"


def _hits(document: Document, kind: str) -> list:
    return [h for h in selectors.findings_for(document) if h.kind == kind]


@pytest.fixture
def members(django_user_model):
    return [
        django_user_model.objects.create_user(username=name, password="s3cret-Passw0rd")
        for name in ("first", "second", "third")
    ]


def test_first_uploader_wins_across_formats(members):
    first, second, _third = members
    original = convert_file(first, corpus_file(f"{GUIDE}.docx"))
    assert original.status == "ready", original.failure_reason
    assert not _hits(original, "near_duplicate")

    # Another member uploads the same guide as a Word 97 file: held, linked.
    copy = convert_file(second, corpus_file(f"{GUIDE}.doc"), title="通用要求 学习资料")
    assert copy.status == "held", copy.failure_reason
    assert copy.failure_code == "near_duplicate"
    (hit,) = _hits(copy, "near_duplicate")
    assert hit.severity == "hold" and hit.duplicate_of_id == original.pk
    assert hit.score >= 0.9 and hit.details["method"] == "text"

    # The first uploader re-uploads their own guide: told, not held.
    again = convert_file(first, corpus_file(f"{GUIDE}.doc"))
    assert again.status == "ready", again.failure_reason
    own = _hits(again, "own_duplicate")
    assert own and own[0].severity == "info" and own[0].duplicate_of_id == original.pk
    assert "already uploaded" in own[0].context


def test_parts_sharing_boilerplate_are_not_duplicates(members):
    first, second, _third = members
    convert_file(first, corpus_file(f"{GUIDE}.docx"))
    other = convert_file(second, corpus_file(OTHER_PART))
    assert other.status == "ready", other.failure_reason
    assert not _hits(other, "near_duplicate")


def test_copy_of_a_work_taken_down_is_refused(members):
    first, second, _third = members
    original = convert_file(first, corpus_file(f"{GUIDE}.docx"))
    Document.objects.filter(pk=original.pk).update(status="taken_down")
    copy = convert_file(second, corpus_file(f"{GUIDE}.doc"))
    assert copy.status == "rejected"
    assert copy.failure_code == "copyright_duplicate"
    assert "copyright" in copy.failure_message.lower() or "版权" in copy.failure_message
    (hit,) = _hits(copy, "copyright_duplicate")
    assert hit.severity == "reject" and hit.duplicate_of_id == original.pk


def test_info_only_when_the_operator_says_so(members, settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "NEAR_DUPLICATE": {**settings.OPENWENKU["NEAR_DUPLICATE"], "ACTION": "info"},
    }
    first, second, _third = members
    original = convert_file(first, corpus_file(f"{GUIDE}.docx"))
    copy = convert_file(second, corpus_file(f"{GUIDE}.doc"))
    assert copy.status == "ready"
    (hit,) = _hits(copy, "near_duplicate")
    assert hit.severity == "info" and hit.duplicate_of_id == original.pk


def test_scans_without_text_compared_by_page_images(members):
    first, second, _third = members
    original = convert_file(first, corpus_file(SCAN))
    assert original.status == "ready", original.failure_reason
    copy = convert_file(second, corpus_file(SCAN), title="扫描件")
    assert copy.status == "held", copy.failure_reason
    (hit,) = _hits(copy, "near_duplicate")
    assert hit.duplicate_of_id == original.pk and hit.details["method"] == "image"
    # The corpus's linn.pdf is page 1 of cardinal.pdf, scanned alike: contained.
    page = convert_file(second, corpus_file("ocrmypdf__linn.pdf"))
    (hit,) = _hits(page, "near_duplicate")
    assert hit.duplicate_of_id == original.pk and hit.details["containment_of_new"] == 1.0
    # Another scan is not the same document.
    different = convert_file(second, corpus_file("ocrmypdf__c02-22.pdf"))
    assert different.status == "ready"
    assert not _hits(different, "near_duplicate")
