"""Issue 11, item 14: a Content-Security-Policy on every page, and pages that live
within it -- no inline script, event handler or style attribute -- while their
scripts (language switcher, upload list, delete confirmation) still work."""

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, page  # noqa: F401  (a fixture)
from tests.search.conftest import make_doc  # noqa: F401  (a fixture)

SRC = Path(__file__).resolve().parents[2] / "src" / "openwenku"


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in header.split(";")
        if part.strip()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/search?q=安全", "/accounts/login/", "/no-such-page"])
def test_every_page_carries_the_policy(client, url):
    policy = _policy(client.get(url))
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'none'"
    assert policy["object-src"] == "'none'"


def test_no_template_has_inline_script_handler_or_style():
    bad = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"javascript:",
            r"\sstyle\s*=",
        ):
            bad += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert bad == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_main_pages_raise_no_csp_violation(page, live_server, make_doc, member):  # noqa: F811  (fixtures)
    page.set_default_timeout(30_000)
    base = live_server.url
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    # Also catch violations the console may not show, from the page itself.
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => {"
        " (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )

    def seen() -> list[str]:
        return violations + (page.evaluate("window.__csp || []") or [])

    doc = make_doc("核电厂定期安全审查指南", ["总则与适用范围。", "定期安全评价。"])
    doc.owner = member
    doc.save()

    for url in ("/", "/search?q=安全", doc.get_absolute_url(), "/accounts/login/"):
        page.goto(base + url)
        assert seen() == [], url

    # The language switcher (site.js, select[data-autosubmit]) still switches.
    page.goto(base + "/")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("select[name=language]", "zh-hans")

    page.goto(f"{base}/accounts/login/?next=/upload/")
    page.fill("input[name=username]", member.username)
    page.fill("input[name=password]", "s3cret-Passw0rd")
    page.click("form.form button[type=submit]")
    page.wait_for_url(f"{base}/upload/")
    assert seen() == []

    # The upload list (upload.js with messages from data- attributes) still works.
    page.set_input_files(
        "input[type=file]",
        [{"name": "empty.docx", "mimeType": "application/octet-stream", "buffer": b""}],
    )
    page.click("#upload-form button[type=submit]")
    state = page.locator("#upload-list .upload-item .upload-state")
    state.wait_for()
    assert state.inner_text() == "文件为空（0 字节）"

    # The edit page's delete form asks first (data-confirm); dismissing keeps the document.
    page.goto(f"{base}/doc/{doc.pk}/edit")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("form[data-confirm] button[type=submit]")
    page.wait_for_timeout(300)
    assert asked == ["确定永久删除此文档吗？"]
    assert page.url.endswith(f"/doc/{doc.pk}/edit")
    assert seen() == []
