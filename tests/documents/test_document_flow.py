"""Upload through the web form and the API, convert with real LibreOffice, and
read what a reader sees on the document page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from openwenku.documents.models import Document
from tests.conftest import corpus_file, run_worker

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

CHINESE_DOCX = "chatchat__核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）.docx"


def upload(client, path, **fields):
    with open(path, "rb") as fh:
        return client.post(
            reverse("documents:upload"), {"files": fh, **fields}, HTTP_ACCEPT="application/json"
        )


def test_chinese_docx_upload_to_document_page(member_client):
    response = upload(member_client, corpus_file(CHINESE_DOCX), tags="核电, 安全审查", category="")
    assert response.status_code == 201, response.content
    doc_id = response.json()["documents"][0]["id"]
    assert response.json()["documents"][0]["status"] == "uploaded"

    run_worker()

    document = Document.objects.get(pk=doc_id)
    assert document.status == "ready", document.failure_reason
    assert document.original_name == CHINESE_DOCX
    assert document.format == "docx"
    assert len(document.sha256) == 64
    # The title is the file name without its extension (the format shows as a badge).
    title = CHINESE_DOCX.removesuffix(".docx")
    assert document.title == title

    page = member_client.get(f"/doc/{doc_id}.html")
    html = page.content.decode()
    assert page.status_code == 200
    # Metadata row as on the seed page: masked uploader, number, date, format, pages, size.
    assert "王**" in html and "王小明" not in html.split("<main")[1].split("</header>")[0]
    assert f"{doc_id}" in html
    assert "DOCX" in html
    assert f"共{document.page_count}页" in html
    assert re.search(r"\d+\.\d\dKB", html)
    # Page images, lazily loaded, alt text `<title>_第N页`.
    assert f'alt="{title}_第1页"' in html
    assert 'loading="lazy"' in html
    assert "全部预览完了" in html
    # 资源描述: the generated sentence, then numbered 300-character segments of real text.
    assert f"《{title}》由会员分享" in html
    assert "1、" in html and "核电厂" in html
    segments = re.findall(r'<p class="segment">(\d+)、(.*?)</p>', html, re.S)
    assert len(segments) >= 2
    assert all(len(s[1]) <= 300 for s in segments)
    assert len(segments[0][1]) == 300
    # Chinese sentences are not broken by line breaks or spaces.
    assert "\n" not in segments[0][1]
    # SEO: canonical URL and a meta description from the text.
    assert f'<link rel="canonical" href="http://testserver/doc/{doc_id}.html">' in html
    assert '<meta name="description" content="' in html

    # Page images only by the signed URL the page hands out (see access.paywall).
    assert member_client.get(f"/doc/{doc_id}/page/1").status_code == 404
    image = member_client.get(_page_url(html, 1, member_client, None))
    assert image.status_code == 200
    _assert_image(image)


@pytest.mark.parametrize(
    ("name", "fmt", "expect_text"),
    [
        ("tika__testPPT_various.pptx", "pptx", None),
        ("chatchat__langchain-ChatGLM_open.xlsx", "xlsx", None),
        ("pdfjs__tracemonkey.pdf", "pdf", "Trace-based"),
    ],
)
def test_pptx_xlsx_pdf_convert(member_client, name, fmt, expect_text):
    response = upload(member_client, corpus_file(name))
    assert response.status_code == 201, response.content
    doc_id = response.json()["documents"][0]["id"]
    run_worker()
    document = Document.objects.get(pk=doc_id)
    assert document.status == "ready", document.failure_reason
    assert document.format == fmt
    assert document.page_count >= 1
    assert document.pages.count() == document.page_count
    html = member_client.get(f"/doc/{doc_id}.html").content.decode()
    assert f"共{document.page_count}页" in html
    assert fmt.upper() in html
    if expect_text:
        assert expect_text in html
    for n in (1, document.page_count):
        img = member_client.get(_page_url(html, n, member_client, document))
        _assert_image(img)


def _assert_image(response) -> None:
    """A page image is served as what it is: PNG (grey text pages) or WebP."""
    body = b"".join(response.streaming_content)
    if response["Content-Type"] == "image/png":
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
    else:
        assert response["Content-Type"] == "image/webp"
        assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"


def _page_url(html: str, number: int, client, document) -> str:
    """The signed image URL of page ``number`` as the document page hands it out
    (the first pages in its HTML, the later ones from its reader's pages.json)."""
    match = re.search(rf'<img src="([^"]+/page/{number}\?[^"]+)"', html)
    if match:
        return match.group(1).replace("&amp;", "&")
    batch = client.get(f"/doc/{document.pk}/pages.json", {"from": number}).json()["pages"]
    assert batch and batch[0]["number"] == number, f"no image for page {number}"
    return batch[0]["url"]


def test_encrypted_upload_fails_with_password_message(member_client):
    response = upload(member_client, corpus_file("poi__bug53475-password-is-pass.docx"))
    doc_id = response.json()["documents"][0]["id"]
    run_worker()
    document = Document.objects.get(pk=doc_id)
    assert document.status == "failed"
    assert document.failure_code == "encrypted"
    assert "password" in document.failure_reason  # the English text, for operators
    # The uploader sees why on the document page, in their language (from the code);
    # nobody else sees the page at all.
    assert document.failure_message in member_client.get(f"/doc/{doc_id}.html").content.decode()


def test_zero_byte_and_unsupported_are_refused_at_upload(member_client, tmp_path):
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    response = upload(member_client, empty)
    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert "空" in " ".join(response.json()["errors"]) or "empty" in response.content.decode()

    png = tmp_path / "picture.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    response = upload(member_client, png)
    assert response.status_code == 400
    assert "PNG" in " ".join(response.json()["errors"])
    assert Document.objects.count() == 0


def test_oversize_upload_is_refused_while_streaming(member_client, settings, tmp_path):
    settings.OPENWENKU = {**settings.OPENWENKU, "MAX_UPLOAD_BYTES": 1024}
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 5000)
    response = upload(member_client, big)
    assert response.status_code == 413
    assert "big.txt" in " ".join(response.json()["errors"])
    assert Document.objects.count() == 0


def test_pages_of_unready_documents_are_private(member_client):
    client = Client()
    response = upload(member_client, corpus_file("pdfjs__tracemonkey.pdf"))
    doc_id = response.json()["documents"][0]["id"]
    # Not converted yet: the uploader sees the status, others see nothing.
    assert member_client.get(f"/doc/{doc_id}.html").status_code == 200
    assert client.get(f"/doc/{doc_id}.html").status_code == 404
    assert client.get(f"/doc/{doc_id}/status.json").status_code == 404
    status = member_client.get(f"/doc/{doc_id}/status.json").json()
    assert status["status"] == "uploaded" and status["done"] is False
    run_worker()
    assert client.get(f"/doc/{doc_id}.html").status_code == 200
    assert client.get(f"/doc/{doc_id}/page/999").status_code == 404


def test_download_needs_login_and_keeps_chinese_name(member_client):
    response = upload(member_client, corpus_file(CHINESE_DOCX))
    doc_id = response.json()["documents"][0]["id"]
    run_worker()
    anonymous = Client().get(f"/doc/{doc_id}/download")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    got = member_client.get(f"/doc/{doc_id}/download")
    assert got.status_code == 200
    assert "filename*=utf-8''" in got["Content-Disposition"]
    assert b"".join(got.streaming_content)[:2] == b"PK"
    assert Document.objects.get(pk=doc_id).download_count == 1


def test_running_the_conversion_twice_does_no_harm(member_client):
    from openwenku.conversion import pipeline

    response = upload(member_client, corpus_file("pdfjs__tracemonkey.pdf"))
    doc_id = response.json()["documents"][0]["id"]
    run_worker()
    before = Document.objects.get(pk=doc_id)
    assert pipeline.convert(doc_id) == "ready"
    after = Document.objects.get(pk=doc_id)
    assert after.page_count == before.page_count
    assert after.pages.count() == before.page_count
    assert after.attempts == before.attempts
