"""A member uploads two files in a real browser (Debian's chromium), watches
each file's progress and conversion status update without reloading, and reads
the document page."""

import os

import pytest

from tests.conftest import corpus_file

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

CHINESE_DOCX = "chatchat__核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）.docx"
TITLE = CHINESE_DOCX.removesuffix(".docx")  # titles from file names drop the extension


def test_upload_two_files_and_read_the_page(page, live_server, background_worker, member):
    page.set_default_timeout(90_000)
    page.goto(f"{live_server.url}/accounts/login/?next=/upload/")
    page.fill("input[name=username]", "wangxm")
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/upload/")

    page.set_input_files(
        "input[type=file]",
        [str(corpus_file(CHINESE_DOCX)), str(corpus_file("pdfjs__tracemonkey.pdf"))],
    )
    page.fill("input[name=tags]", "核电 安全")
    page.click("#upload-form button[type=submit]")

    items = page.locator("#upload-list .upload-item")
    assert items.count() == 2
    # Each file gets its own progress bar, then its status follows the conversion.
    assert items.nth(0).locator("progress").count() == 1
    # (Locator waits, not wait_for_function: the site's CSP forbids the eval it uses.)
    page.locator("#upload-list .upload-item.is-ready").nth(1).wait_for()
    assert "就绪" in items.nth(0).inner_text()

    items.filter(has_text=CHINESE_DOCX).locator("a").click()
    page.wait_for_selector("h1.doc-title")
    assert page.inner_text("h1.doc-title") == TITLE
    meta = page.inner_text(".doc-meta")
    assert "王**" in meta and "DOCX" in meta and "KB" in meta
    first = page.locator(f'img[alt="{TITLE}_第1页"]')
    first.scroll_into_view_if_needed()
    for _ in range(300):
        if first.evaluate("img => img.complete && img.naturalWidth > 1000"):
            break
        page.wait_for_timeout(100)
    assert "第1页 / 共" in page.inner_text(".pages")
    assert "核电厂" in page.inner_text(".description")
