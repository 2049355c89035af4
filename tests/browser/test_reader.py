"""Issue 14, the reader: a document page read in Debian's chromium at 1366 px and
390 px with the toolbar, the keyboard and the page box; later pages arrive as
the reader nears them; nothing scrolls sideways on a phone; no CSP violation.
And the batch endpoint never hands a reader without access a paid page."""

import io
import os
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from openwenku.documents.models import Document, DocumentPage

from .conftest import CHROMIUM

PAGES = 36


def _webp(number: int) -> bytes:
    image = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(image)
    for row in range(30):
        draw.text((60, 60 + row * 25), f"page {number} line {row} " * 3, fill=40)
    buf = io.BytesIO()
    image.save(buf, "WEBP", quality=50)
    return buf.getvalue()


def _document(owner, *, pages=PAGES, price=0, preview_pages=None, title="长文档阅读测试"):
    doc = Document(
        owner=owner,
        title=title,
        original_name=f"{title}.pdf",
        size=1000,
        sha256=f"{pages:032x}{price:032x}",
        format="pdf",
        status=Document.Status.READY,
        page_count=pages,
        pages_ready=pages,
        price=price,
        preview_pages=preview_pages,
    )
    doc.original.save("original", ContentFile(b"%PDF-1.4\n"), save=False)
    doc.save()
    for n in range(1, pages + 1):
        page = DocumentPage(document=doc, number=n, width=620, height=877, text=f"第{n}页正文")
        page.image.save(f"{n}.webp", ContentFile(_webp(n)), save=False)
        page.save()
    return doc


# -- the batch endpoint: the same access rules as the page ---------------------


@pytest.mark.django_db
def test_batch_endpoint_omits_paid_pages_for_a_reader_without_access(client, member):
    doc = _document(member, pages=20, price=5, preview_pages=3, title="付费文档")
    url = f"/doc/{doc.pk}/pages.json"

    data = client.get(url, {"from": 1}).json()
    assert [p["number"] for p in data["pages"]] == [1, 2, 3]
    assert data["visible"] == 3 and data["total"] == 20
    # Asking past the preview gives nothing (the number is clamped to what is visible).
    assert [p["number"] for p in client.get(url, {"from": 4}).json()["pages"]] == [3]
    assert [p["number"] for p in client.get(url, {"from": 15}).json()["pages"]] == [3]
    body = client.get(url, {"from": 1}).content.decode()
    assert "/page/4?" not in body

    # The document page's HTML has no URL for a paid page either.
    html = client.get(doc.get_absolute_url()).content.decode()
    assert re.findall(r"/doc/\d+/page/(\d+)\?", html) == ["1", "2", "3"]

    # The uploader sees every page, in batches.
    client.force_login(member)
    data = client.get(url, {"from": 4}).json()
    assert [p["number"] for p in data["pages"]] == list(range(4, 20))

    # Unpublished, the document has no pages to read for anyone but a buyer.
    doc.status = Document.Status.UNPUBLISHED
    doc.save()
    client.logout()
    assert client.get(url, {"from": 1}).status_code == 404


@pytest.mark.django_db
def test_document_page_html_holds_the_first_pages_and_a_continue_link(client, member):
    doc = _document(member, pages=30)
    html = client.get(doc.get_absolute_url()).content.decode()
    assert re.findall(r"/doc/\d+/page/(\d+)\?", html) == [str(n) for n in range(1, 9)]
    assert 'href="?from=9#page-9"' in html
    # Without script, the link shows the next pages.
    html = client.get(doc.get_absolute_url(), {"from": 9}).content.decode()
    assert re.findall(r"/doc/\d+/page/(\d+)\?", html) == [str(n) for n in range(9, 17)]
    assert client.get(f"/doc/{doc.pk + 1000}/pages.json").status_code == 404


# -- in a real browser ---------------------------------------------------------


def _screenshot(page, name: str) -> None:
    """For people to look at: set OPENWENKU_SCREENSHOTS to a folder."""
    folder = os.environ.get("OPENWENKU_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        page.screenshot(path=os.path.join(folder, f"{name}.png"))


def _current(page) -> int:
    return int(page.input_value("#reader-page"))


def _wait(page, check, what: str, tries: int = 100):
    for _ in range(tries):
        if check():
            return
        page.wait_for_timeout(100)
    raise AssertionError(what)


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_reader_toolbar_keyboard_zoom_and_progressive_pages(page, live_server, member, width):
    page.set_default_timeout(30_000)
    doc = _document(member)
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => {"
        " (window.__csp = window.__csp || []).push(e.violatedDirective + ' ' + e.blockedURI); });"
    )
    page.goto(live_server.url + doc.get_absolute_url())
    toolbar = page.locator(".reader-toolbar")
    toolbar.wait_for()
    # The toolbar shows N / M: the page box, then the number of pages.
    assert re.sub(r"\s+", "", toolbar.inner_text()).startswith("‹/36›")
    assert _current(page) == 1
    _screenshot(page, f"reader-top-{width}")
    loaded = "document.querySelectorAll('.reader-pages img').length"
    assert page.evaluate(loaded) == 8  # the first pages, from the HTML

    # → and PageDown go to the next page: the page box and the scroll position follow.
    y0 = page.evaluate("window.scrollY")
    page.keyboard.press("ArrowRight")
    _wait(page, lambda: _current(page) == 2, "→ did not move to page 2")
    y1 = page.evaluate("window.scrollY")
    assert y1 > y0
    page.keyboard.press("PageDown")
    _wait(page, lambda: _current(page) == 3, "PageDown did not move to page 3")
    assert page.evaluate("window.scrollY") > y1
    page.keyboard.press("ArrowLeft")
    _wait(page, lambda: _current(page) == 2, "← did not move back")
    page.click("[data-reader=next]")
    _wait(page, lambda: _current(page) == 3, "the next button did not move")

    # The toolbar stays in view while reading.
    top = page.evaluate("document.querySelector('.reader-toolbar').getBoundingClientRect().top")
    assert 0 <= top < 5

    # Typing a page number jumps there; its image arrives from the batch endpoint.
    page.fill("#reader-page", "20")
    page.press("#reader-page", "Enter")
    fig = page.locator("#page-20")
    fig.locator("img").wait_for()
    _wait(page, lambda: _current(page) == 20, "the page box did not jump to 20")
    box = fig.bounding_box()
    assert box is not None and -5 < box["y"] < 200
    assert page.evaluate(loaded) > 8
    assert page.locator("#page-20 img").get_attribute("width") == "620"

    _screenshot(page, f"reader-page-20-{width}")
    # Zoom changes the page's width; fit width brings it back.
    before = page.evaluate("document.querySelector('#page-20').getBoundingClientRect().width")
    page.click("[data-reader=zoom-in]")
    _screenshot(page, f"reader-zoomed-{width}")
    after = page.evaluate("document.querySelector('#page-20').getBoundingClientRect().width")
    assert after > before * 1.2
    page.keyboard.press("-")
    page.keyboard.press("-")
    smaller = page.evaluate("document.querySelector('#page-20').getBoundingClientRect().width")
    assert smaller < before
    page.click("[data-reader=fit]")
    assert page.evaluate(
        "document.querySelector('#page-20').getBoundingClientRect().width"
    ) == pytest.approx(before, abs=1)

    # Scrolling on loads the later pages as the reader nears them.
    count = page.evaluate(loaded)
    for _ in range(40):
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(60)
    page.locator("#page-36 img").wait_for()
    # While scrolling, a floating indicator shows where the reader is.
    indicator = page.locator(".reader-indicator")
    page.mouse.wheel(0, -1500)
    _wait(page, lambda: "is-shown" in (indicator.get_attribute("class") or ""), "no indicator")
    assert indicator.inner_text() == f"{_current(page)} / 36"
    assert page.evaluate(loaded) > count
    _wait(page, lambda: _current(page) >= 30, f"the page box did not follow: {_current(page)}")

    if width >= 1024:
        thumbs = page.locator(".reader-thumbs")
        assert thumbs.is_visible()
        assert thumbs.locator("button").count() == PAGES
        thumbs.locator("button").nth(4).click()
        _wait(page, lambda: _current(page) == 5, "a thumbnail did not jump")
    else:
        assert not page.locator(".reader-thumbs").is_visible()
        # Fit to width on a phone, and nothing scrolls sideways.
        first = page.evaluate("document.querySelector('#page-1').getBoundingClientRect().width")
        assert first < 390
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    # Every control has a name.
    for control in page.locator(".reader-toolbar button, .reader-toolbar input").all():
        assert control.get_attribute("aria-label")
    assert page.evaluate("window.__csp || []") == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_phone_double_tap_zoom_and_full_screen(page, live_server, member):
    page.set_default_timeout(30_000)
    doc = _document(member, pages=10)
    context = page.context.browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, locale="zh-CN"
    )
    phone = context.new_page()
    errors = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    phone.goto(live_server.url + doc.get_absolute_url())
    phone.locator(".reader-toolbar").wait_for()
    width = "document.querySelector('#page-1').getBoundingClientRect().width"
    fit = phone.evaluate(width)
    assert fit <= 390
    # Pinch zoom is left to the browser: the viewport allows it.
    assert "user-scalable=no" not in phone.inner_html("head")
    phone.locator("#page-1 img").tap()
    phone.wait_for_timeout(80)
    phone.locator("#page-1 img").tap()
    _wait(phone, lambda: phone.evaluate(width) > fit * 1.9, "double tap did not zoom in")
    assert phone.inner_text(".reader-toolbar .reader-zoom") == "200%"
    phone.wait_for_timeout(500)
    phone.locator("#page-1 img").tap(position={"x": 20, "y": 20})
    phone.wait_for_timeout(80)
    phone.locator("#page-1 img").tap(position={"x": 20, "y": 20})
    _wait(phone, lambda: abs(phone.evaluate(width) - fit) < 1, "double tap did not fit again")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert errors == []

    # Full screen (the Fullscreen API) on a desktop, and back.
    page.goto(live_server.url + doc.get_absolute_url())
    button = page.locator("[data-reader=fullscreen]")
    button.click()
    _wait(page, lambda: button.get_attribute("aria-pressed") == "true", "no full screen")
    assert page.evaluate("document.fullscreenElement.id") == "reader"
    assert button.get_attribute("aria-label") == "退出全屏"
    page.keyboard.press("ArrowRight")
    _wait(page, lambda: _current(page) == 2, "→ in full screen")
    button.click()
    _wait(page, lambda: page.evaluate("document.fullscreenElement") is None, "still full screen")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_without_javascript_the_pages_are_reached_by_links(page, live_server, member):
    doc = _document(member, pages=20)
    context = page.context.browser.new_context(java_script_enabled=False, locale="zh-CN")
    plain = context.new_page()
    plain.goto(live_server.url + doc.get_absolute_url())
    assert plain.locator(".reader-pages img").count() == 8
    assert not plain.locator(".reader-toolbar").is_visible()
    assert "第20页正文" in plain.inner_text(".description")
    plain.click("a.reader-more")
    plain.locator("#page-9 img").wait_for()
    numbers = plain.eval_on_selector_all(".reader-pages figure", "els => els.map(e => e.id)")
    assert numbers == [f"page-{n}" for n in range(9, 17)]
    plain.click("a.reader-more")
    plain.locator("#page-17 img").wait_for()
    assert plain.locator("a.reader-more").count() == 0  # the last pages: no further link
    context.close()


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_paid_document_reader_stops_at_the_paywall(page, live_server, member):
    page.set_default_timeout(30_000)
    doc = _document(member, pages=20, price=5, preview_pages=3, title="付费长文档")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + doc.get_absolute_url())
    page.locator(".reader-toolbar").wait_for()
    assert "/20›" in re.sub(r"\s+", "", page.inner_text(".reader-toolbar"))
    assert page.locator(".reader-pages figure").count() == 3
    page.fill("#reader-page", "15")
    page.press("#reader-page", "Enter")
    # Past the free pages, the reader is taken to the paywall, not to page 15.
    _wait(
        page,
        lambda: 0 < page.locator("#paywall").bounding_box()["y"] < 900,
        f"the paywall is not in view: {page.locator('#paywall').bounding_box()} "
        + str(page.evaluate("[scrollY, document.documentElement.scrollHeight, innerHeight]")),
    )
    for _ in range(10):
        page.mouse.wheel(0, 2000)
    page.wait_for_timeout(300)
    assert not [u for u in requested if re.search(r"/page/([4-9]|1\d|20)\?", u)]
