"""A reader searches in a real browser (Debian's chromium): suggestions while typing,
results with highlighted snippets naming their page, filters and sorting, hostile
input, a zero-result page, and nothing from a paid document's hidden pages."""

import os
from urllib.parse import quote

import pytest

from tests.search.conftest import make_doc  # noqa: F401  (a fixture)

from .conftest import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

HIDDEN = "第三页的秘密结论只给买家看"


@pytest.fixture
def library(make_doc):  # noqa: F811  (the fixture imported above)
    guide = make_doc(
        "核电厂定期安全审查指南",
        ["总则与适用范围。", "定期安全评价应当每十年开展一次，评价结果报国家核安全局。"],
        fmt="docx",
        downloads=5,
    )
    slides = make_doc(
        "安全生产培训课件",
        ["安全生产责任制。", "开展定期安全评价的组织方式。"],
        fmt="pptx",
        downloads=9,
    )
    paid = make_doc(
        "核电站运行经验汇编",
        ["运行经验反馈概述。", "定期安全评价的案例。", f"{HIDDEN}：定期安全评价的结论。"],
        fmt="pdf",
        price=5,
        preview_pages=2,
    )
    return {"guide": guide, "slides": slides, "paid": paid}


def test_search_page_in_a_browser(page, live_server, library):
    page.set_default_timeout(30_000)
    base = live_server.url

    # Suggestions while typing: the matching titles, and choosing one opens it.
    page.goto(f"{base}/search")
    page.locator("input[name=q]").first.press_sequentially("核电厂定期", delay=30)
    suggestion = page.locator(".suggest-list li", has_text="核电厂定期安全审查指南")
    suggestion.wait_for()
    suggestion.dispatch_event("mousedown")
    page.wait_for_url(f"**{library['guide'].get_absolute_url()}*")
    assert page.inner_text("h1.doc-title") == "核电厂定期安全审查指南"

    # Results: the count, the words highlighted, the snippet naming its page.
    page.goto(f"{base}/search")
    box = page.locator("input[name=q]").first
    box.fill("定期安全评价")
    box.press("Enter")
    page.wait_for_selector(".search-count")
    assert "找到 3 篇" in page.inner_text(".search-count")
    hits = page.locator(".search-hit")
    assert hits.count() == 3
    guide = hits.filter(has_text="核电厂定期安全审查指南")
    assert guide.locator(".search-page-no").inner_text() == "第2页"
    assert "评价" in guide.locator(".search-snippet em").all_inner_texts()
    assert "DOCX" in guide.locator(".fmt").inner_text()
    meta = guide.locator(".search-hit-meta").inner_text()
    assert "2页" in meta.replace(" ", "") and "免费" in meta and "5次下载" in meta
    # The paid document's snippet comes from its free pages; the hidden page never shows.
    paid = hits.filter(has_text="核电站运行经验汇编")
    assert paid.locator(".search-page-no").inner_text() == "第2页"
    assert HIDDEN not in page.content()

    # A format filter and a sort combine with the query.
    page.click(".search-filters a:text-is('PPT')")
    page.wait_for_url("**format=*")
    assert [t.strip() for t in page.locator(".search-hit-title a").all_inner_texts()] == [
        "安全生产培训课件"
    ]
    page.goto(f"{base}/search?q={quote('定期安全评价')}&sort=downloads")
    titles = [t.strip() for t in page.locator(".search-hit-title a").all_inner_texts()]
    assert titles == ["安全生产培训课件", "核电厂定期安全审查指南", "核电站运行经验汇编"]

    # Hostile input is a page like any other, never an error.
    for q in ['"安全 OR (评价 -*: ', "😀" * 50, "-", '"""', "AND OR NOT"]:
        response = page.goto(f"{base}/search?q={quote(q)}")
        assert response.status == 200, q
        assert page.locator("input[name=q]").first.is_visible()

    # No results: a helpful page, not a blank one.
    page.goto(f"{base}/search?q={quote('量子纠缠拓扑')}")
    assert "没有找到与“量子纠缠拓扑”相关的文档" in page.inner_text(".search-empty")
    assert page.locator(".search-empty li").count() >= 2
