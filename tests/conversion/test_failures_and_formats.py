"""The format registry feeds every format list; failure codes are shown translated."""

import pytest
from django.utils import translation

from openwenku.conversion.errors import ConversionError, UnsupportedFile
from openwenku.core.errors import ApplicationError
from openwenku.documents import formats
from openwenku.documents.failures import MESSAGES, default_params, render
from openwenku.documents.models import Document
from openwenku.search.filters import FORMAT_GROUPS, FORMAT_LABELS
from tests.documents.test_catalogue_pages import make_doc


def test_model_choices_come_from_the_registry_unchanged():
    assert Document.Format.choices == [
        ("pdf", "PDF"),
        ("doc", "DOC"),
        ("docx", "DOCX"),
        ("wps", "WPS"),
        ("rtf", "RTF"),
        ("odt", "ODT"),
        ("txt", "TXT"),
        ("ppt", "PPT"),
        ("pptx", "PPTX"),
        ("odp", "ODP"),
        ("xls", "XLS"),
        ("xlsx", "XLSX"),
        ("ods", "ODS"),
        ("epub", "EPUB"),
    ]
    assert Document.Format.DOCX == "docx"


def test_search_filter_families_match_the_registry():
    assert {f.code: f.label for f in formats.FAMILIES} == FORMAT_LABELS
    assert {code: formats.family_formats(code) for code in FORMAT_LABELS} == FORMAT_GROUPS


@pytest.mark.parametrize(
    ("extension", "code"), [("DOCM", "docx"), (".et", "xls"), ("md", "txt"), ("exe", None)]
)
def test_extensions_claim_formats(extension, code):
    found = formats.for_extension(extension)
    assert (found.code if found else None) == code


def test_every_format_but_pdf_goes_through_libreoffice():
    assert {f.code for f in formats.FORMATS if not f.converts_with_office} == {"pdf"}


def test_conversion_errors_are_application_errors_with_a_code():
    error = ConversionError("timeout", retryable=True, seconds=120)
    assert isinstance(error, ApplicationError) and error.code == "timeout" and error.retryable
    assert error.diagnostic == (
        "The conversion timed out (over 120 seconds); the file may be damaged or too complex."
    )
    assert issubclass(UnsupportedFile, ConversionError)
    with pytest.raises(KeyError):
        ConversionError("no_such_code")


@pytest.mark.django_db
def test_failure_message_is_rendered_from_the_code_at_display_time(member):
    doc = make_doc(
        member,
        None,
        "坏.docx",
        status="failed",
        failure_code="not_convertible",
        failure_reason="The file is damaged or is not a valid Word document; ...",
    )
    doc.format = "docx"
    with translation.override("en"):
        assert doc.failure_message == (
            "The file is damaged or is not a valid Word document; it cannot be converted."
        )
    old = make_doc(member, None, "旧.docx", status="failed", failure_reason="旧的原因")
    assert old.failure_message == "旧的原因"  # rows from before codes: as stored


def test_every_code_has_a_message_with_the_parameters_it_can_fill():
    with translation.override("en"):
        for code in MESSAGES:
            assert render(code, default_params("docx"))
