"""Issue 14: a title made from a file name drops the extension (the format shows
as a badge), on the upload page, in the API and in the import command; a title
does not break inside a word."""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse

from openwenku.documents.models import Document
from openwenku.documents.services import clean_title, title_from_name
from tests.browser.conftest import CHROMIUM, page  # noqa: F401  (a fixture)
from tests.search.conftest import make_doc  # noqa: F401  (a fixture)

SITE_CSS = Path(__file__).resolve().parents[2] / "src/openwenku/static/openwenku/site.css"


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("高等数学期末复习.docx", "高等数学期末复习"),
        ("Report 2024.PDF", "Report 2024"),
        ("课件.pptx", "课件"),
        ("v1.2 使用说明.txt", "v1.2 使用说明"),
        ("archive.tar.gz", "archive.tar.gz"),  # not a document extension: kept
        (".docx", ".docx"),  # nothing but an extension: kept
        ("无扩展名", "无扩展名"),
    ],
)
def test_title_from_name_drops_document_extensions(name, title):
    assert title_from_name(name) == title


def test_a_given_title_is_kept_as_written():
    assert clean_title("  我的笔记.docx  ", "x.pdf") == "我的笔记.docx"
    assert clean_title("", "期末\x07复习.doc") == "期末复习"


@pytest.mark.django_db
def test_upload_without_title_gets_the_name_without_extension(member_client, tmp_path):
    path = tmp_path / "考研英语 Writing Templates.txt"
    path.write_text("考研英语写作模板。\n" * 50, encoding="utf-8")
    with open(path, "rb") as fh:
        response = member_client.post(
            reverse("documents:upload"), {"files": fh}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 201, response.content
    document = Document.objects.get(pk=response.json()["documents"][0]["id"])
    assert document.title == "考研英语 Writing Templates"
    assert document.original_name == "考研英语 Writing Templates.txt"


@pytest.mark.django_db
def test_api_upload_without_title_gets_the_name_without_extension(member_client, tmp_path):
    path = tmp_path / "操作系统复习提纲.md.txt"
    path.write_text("进程与线程。\n" * 50, encoding="utf-8")
    with open(path, "rb") as fh:
        response = member_client.post("/api/documents", {"file": fh})
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "操作系统复习提纲.md"


def test_titles_do_not_break_inside_latin_words():
    css = SITE_CSS.read_text(encoding="utf-8")
    rule = re.search(r"\.doc-title\s*\{([^}]*)\}", css).group(1)
    assert "break-all" not in rule  # it split ".docx" into ".do" / "cx"
    assert "overflow-wrap:anywhere" in rule.replace(" ", "")  # only a too-long word breaks


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_a_long_title_wraps_between_words_on_a_phone(page, live_server, make_doc):  # noqa: F811
    title = "2024年度 Comprehensive Examination Preparation Handbook 期末复习资料汇总 Mathematics"
    document = make_doc(title, ["第一页"])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + document.get_absolute_url())
    heading = page.locator("h1").first
    assert heading.inner_text().strip() == title
    # Every Latin word stays on one line (one box), while the title wraps.
    split = page.evaluate(
        """(h1) => {
            const text = h1.firstChild;
            const broken = [];
            for (const m of text.data.matchAll(/[A-Za-z]+/g)) {
                const range = document.createRange();
                range.setStart(text, m.index);
                range.setEnd(text, m.index + m[0].length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                if (tops.size > 1) broken.push(m[0]);
            }
            return {broken, lines: Math.round(h1.getBoundingClientRect().height)};
        }""",
        heading.element_handle(),
    )
    assert split["broken"] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
