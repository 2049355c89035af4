"""Issue 11 item 9: file-name fields never print the worker's paths into published pages.

LibreOffice recomputes a document's file-name fields with the path of the file
it was handed. ``poi__ob_is.doc`` has such a field in its page footer: it must
show the uploader's file name (or nothing), never where the worker kept it,
neither in the page text, nor drawn in the page image, nor findable by search.
"""

import numpy as np
import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from openwenku.conversion import pipeline
from openwenku.documents import services
from openwenku.documents.models import Document
from openwenku.search import selectors
from tests.conftest import corpus_file

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.postgres]

NAME = "poi__ob_is.doc"


def _server_paths() -> list[str]:
    return [str(settings.DATA_DIR), "/io/document", "office/", "/scratch/", "/tmp/"]


def _ocr(document: Document, numbers: list[int]) -> dict[int, str]:
    from rapidocr import RapidOCR

    engine = RapidOCR()
    found = {}
    for page in document.pages.filter(number__in=numbers):
        with page.image.open("rb") as fh:
            image = Image.open(fh).convert("RGB")
            result = engine(np.array(image))
        found[page.number] = " ".join(result.txts or ())
    return found


@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_file_name_fields_show_the_original_name_not_a_server_path(mode, member, client, settings):
    # cold: the fallback without UNO (and the retry after a warm crash).
    settings.OPENWENKU = {**settings.OPENWENKU, "LO_MODE": mode}
    document = services.document_create(
        owner=member, incoming=services.incoming_from_path(corpus_file(NAME))
    )
    assert pipeline.convert(document.pk) == "ready"
    document = Document.objects.get(pk=document.pk)
    texts = dict(document.pages.values_list("number", "text"))
    assert len(texts) == document.page_count > 1
    for number, text in texts.items():
        for path in _server_paths():
            assert path not in text, f"page {number} shows {path!r}: {text[-300:]!r}"
    # Where the footer field was (not on the title page): the uploader's file name.
    assert NAME in texts[2], texts[2][-300:]

    # What is drawn: OCR of the page images (the footer is on every page).
    last = document.page_count
    for number, seen in _ocr(document, [2, last]).items():
        squeezed = seen.replace(" ", "")
        for path in ["/io/", "io/document", "office/", "data/", "document.doc"]:
            assert path not in squeezed, f"page {number} image shows {path!r}: {seen!r}"
        assert "ob_is" in squeezed, f"page {number} image lacks the file name: {seen!r}"

    # Nor can anybody find it by the worker's folder names.
    assert selectors.search_documents(query="data office").total == 0
    page = client.get(reverse("search:search"), {"q": "data office"}).content.decode()
    assert document.get_absolute_url() not in page
    assert selectors.search_documents(query="ob_is").total == 1
