"""QR codes in page images, with what they decode to; low content (too little,
or blank pages) recorded and withheld from the upload reward."""

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from openwenku.documents.content import reward_eligible
from openwenku.documents.models import Document
from openwenku.integrity import selectors
from openwenku.integrity.checks.qr_code import sample

from .conftest import convert_file

pytestmark = pytest.mark.django_db

FILLER = "本文介绍文库系统的设计与实现，包括上传、转换、检索和阅读等环节。" * 12
URL = "https://spam.example.com/join?from=wenku"


def qr_image(text: str, module: int = 6) -> Image.Image:
    """A QR code drawn by OpenCV's encoder (the detector's own library)."""
    code = cv2.QRCodeEncoder.create().encode(text)
    code = np.pad(code, 4, constant_values=255)  # the quiet zone
    return Image.fromarray(code).resize(
        (code.shape[1] * module, code.shape[0] * module), Image.Resampling.NEAREST
    )


def page_with_lines(qr: Image.Image | None = None) -> Image.Image:
    """An A4 page at 150 dpi with lines like text, and a QR code at the bottom."""
    page = Image.new("L", (1240, 1754), 255)
    draw = ImageDraw.Draw(page)
    for y in range(150, 1300, 40):
        draw.rectangle((120, y, 1120 - (y * 7) % 300, y + 14), fill=40)
    if qr is not None:
        page.paste(qr, (860, 1380))
    return page


def write_pdf(path, pages: list[Image.Image]):
    pages[0].save(path, "PDF", resolution=150, save_all=True, append_images=pages[1:])
    return path


def test_a_qr_code_on_a_page_holds_with_its_url(member, tmp_path):
    pdf = write_pdf(tmp_path / "flyer.pdf", [page_with_lines(), page_with_lines(qr_image(URL))])
    document = convert_file(member, pdf, title="宣传单")
    assert document.status == Document.Status.HELD
    hits = [h for h in selectors.findings_for(document) if h.kind == "qr_code"]
    assert [(h.page, h.excerpt, h.severity) for h in hits] == [(2, URL, "hold")]
    assert hits[0].details["domain"] == "spam.example.com"
    assert document.failure_code == "qr_code"


def test_pages_without_a_qr_code(member, tmp_path):
    pdf = write_pdf(tmp_path / "plain.pdf", [page_with_lines(), page_with_lines()])
    document = convert_file(member, pdf, title="普通文档")
    assert not [h for h in selectors.findings_for(document) if h.kind == "qr_code"]


def test_long_documents_are_sampled():
    assert sample(list(range(1, 11)), 30) == list(range(1, 11))
    picked = sample(list(range(1, 201)), 5)
    assert picked[0] == 1 and picked[-1] == 200 and len(picked) == 5


def test_too_little_text_is_low_content_without_reward(convert_text):
    document = convert_text("只有一句话。")
    assert document.status == Document.Status.READY  # information only, by default
    [hit] = [h for h in selectors.findings_for(document) if h.kind == "low_content"]
    assert hit.severity == "info" and hit.details["min_text_chars"] == 300
    assert not reward_eligible(document)


def test_a_substantial_document_earns_its_reward(convert_text):
    document = convert_text(FILLER)
    assert selectors.findings_for(document) == []
    assert reward_eligible(document)


def test_blank_pages(member, tmp_path):
    blank = Image.new("L", (1240, 1754), 255)
    pdf = write_pdf(tmp_path / "blank.pdf", [page_with_lines(), blank, blank])
    document = convert_file(member, pdf, title="空白页")
    hits = selectors.findings_for(document)
    assert sorted(h.page for h in hits if h.kind == "blank_page") == [2, 3]
    [low] = [h for h in hits if h.kind == "low_content"]
    assert low.details["blank_pages"] == 2


def test_low_content_can_hold(convert_text, settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "CHECKS": {**settings.OPENWENKU["CHECKS"], "LOW_CONTENT": "hold"},
    }
    document = convert_text("只有一句话。")
    assert document.status == Document.Status.HELD
    assert document.failure_code == "low_content"
