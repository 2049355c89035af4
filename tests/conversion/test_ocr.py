"""OCR turns scanned pages into text a reader can find, after publishing."""

import pytest

from openwenku.conversion.ocr import merge, needs_ocr
from openwenku.documents import services
from openwenku.documents.models import Document
from tests.conftest import corpus_file, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_which_pages_need_ocr():
    assert needs_ocr("", 0.0)
    assert needs_ocr("第1页", 1.0)
    assert needs_ocr("\ue000\ue001\ue002" * 10, 0.0)  # private-use garbage
    assert needs_ocr("ÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑ" * 3, 0.0)  # CJK mojibake
    assert not needs_ocr("学习贯彻2024年度基础教育重点工作部署会精神心得体会" * 3, 0.0)
    assert needs_ocr("This is some text. Here is an embedded image:", 0.11)
    assert merge("", "Happy New Year") == "Happy New Year"
    assert merge(
        "This is some text. Here is an embedded image:",
        "Here is an embedded image:\nHappy New Year 2003!",
    ).endswith("Happy New Year 2003!")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("tika__testOCR.pdf", ["Happy", "New", "Year"]),
        ("ocrmypdf__c02-22.pdf", ["tip-toeing along a path", "Miss Watson", "kitchen"]),
        ("tika__testOCR.docx", ["This is some text", "Happy New Year"]),
    ],
)
def test_scanned_page_becomes_text(member_client, member, name, words):
    doc = services.document_create(
        owner=member, incoming=services.incoming_from_path(corpus_file(name))
    )
    run_worker()  # converts, publishes, then runs the OCR task it queued
    doc = Document.objects.get(pk=doc.pk)
    assert doc.status == "ready"
    page = doc.pages.get(number=1)
    assert page.text_source == "ocr" and not page.needs_ocr
    for word in words:
        assert word in page.text
    assert doc.text_chars >= len(page.text)
    # The reader sees the OCR text in the description on the document page.
    html = member_client.get(f"/doc/{doc.pk}.html").content.decode()
    assert words[-1] in html
