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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
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


# -- Calc headers and Impress text boxes --------------------------------------------------

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
    'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'office:version="1.2"'
)
_FIELD = '<text:p>File: <text:file-name text:display="full"/></text:p>'


def _odf(mimetype: str, content_body: str, styles_body: str = "") -> bytes:
    import io
    import zipfile

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_NS}>'
        f"<office:body>{content_body}</office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-styles {_NS}>'
        f"{styles_body}</office:document-styles>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype)
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", styles, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _ods_with_header_field() -> bytes:
    styles = (
        '<office:automatic-styles><style:page-layout style:name="pm1">'
        '<style:header-style><style:header-footer-properties fo:min-height="0.75cm"/>'
        "</style:header-style><style:footer-style>"
        '<style:header-footer-properties fo:min-height="0.75cm"/></style:footer-style>'
        "</style:page-layout></office:automatic-styles>"
        '<office:master-styles><style:master-page style:name="Default" '
        'style:page-layout-name="pm1">'
        f"<style:header>{_FIELD}</style:header>"
        f"<style:footer>{_FIELD}</style:footer>"
        "</style:master-page></office:master-styles>"
    )
    content = (
        '<office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
        "<table:table-cell><text:p>Quarterly figures</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet>"
    )
    return _odf("application/vnd.oasis.opendocument.spreadsheet", content, styles)


def _odp_with_field() -> bytes:
    content = (
        '<office:presentation><draw:page draw:name="p1">'
        '<draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm">'
        f"<draw:text-box><text:p>Slide one</text:p>{_FIELD}</draw:text-box></draw:frame>"
        "</draw:page></office:presentation>"
    )
    return _odf("application/vnd.oasis.opendocument.presentation", content)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "build"),
    [("季度报表 figures.ods", _ods_with_header_field), ("slides.odp", _odp_with_field)],
)
def test_calc_headers_and_impress_fields_show_the_name_only(name, build, member, tmp_path):
    path = tmp_path / name
    path.write_bytes(build())
    document = services.document_create(owner=member, incoming=services.incoming_from_path(path))
    assert pipeline.convert(document.pk) == "ready"
    text = Document.objects.get(pk=document.pk).pages.get(number=1).text
    for server_path in [*_server_paths(), "/job"]:
        assert server_path not in text, text
    assert f"File: {name}" in text, text


@pytest.mark.parametrize(
    ("original", "stem"),
    [
        ("季度报告 2024.docx", "季度报告 2024"),
        ("../../etc/passwd.doc", "passwd"),
        ("C:\\Users\\王\\简历.doc", "简历"),
        (".hidden.odt", "hidden"),
        ("-rf.doc", "rf"),
        ("bad\x00name\n.rtf", "badname"),
        ("", "document"),
        ("....", "document"),
    ],
)
def test_the_file_libreoffice_opens_is_named_safely_after_the_upload(original, stem):
    from openwenku.conversion.office import safe_stem

    assert safe_stem(original) == stem


def test_a_long_name_is_cut_to_fit_a_file_name():
    from openwenku.conversion.office import safe_stem

    stem = safe_stem("报" * 300 + ".docx")
    assert stem == "报" * len(stem) and len(stem.encode()) <= 200
