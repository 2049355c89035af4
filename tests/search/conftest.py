"""Search fixtures: documents built directly as rows (fast), and real corpus texts."""

from __future__ import annotations

import html
import re
import zipfile
from functools import cache
from pathlib import Path

import pytest

from openwenku.documents.models import Document, DocumentPage, Tag
from openwenku.search import services
from tests.shared import CORPUS, SEED


@pytest.fixture
def make_doc(member):
    """Create a ready document with page texts and index it (as publishing would)."""
    counter = {"n": 0}

    def make(
        title: str,
        pages: list[str],
        *,
        fmt: str = "docx",
        price: int = 0,
        preview_pages: int | None = None,
        category=None,
        tags: tuple[str, ...] = (),
        description: str = "",
        downloads: int = 0,
        views: int = 0,
        index: bool = True,
        owner=None,
    ) -> Document:
        counter["n"] += 1
        document = Document.objects.create(
            owner=owner or member,
            title=title,
            description=description,
            original_name=f"{title}.{fmt}",
            size=1000 + counter["n"],
            sha256=f"{counter['n']:064x}",
            format=fmt,
            status=Document.Status.READY,
            page_count=len(pages),
            pages_ready=len(pages),
            price=price,
            preview_pages=preview_pages,
            category=category,
            download_count=downloads,
            view_count=views,
        )
        for number, text in enumerate(pages, start=1):
            DocumentPage.objects.create(
                document=document, number=number, text=text, width=100, height=140
            )
        for name in tags:
            document.tags.add(Tag.objects.get_or_create(name=name)[0])
        if index:
            services.search_index_document(document_id=document.pk)
        return document

    return make


# --- the real corpus, as text -----------------------------------------------------------


def _split_pages(text: str, size: int = 1500) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join(
        html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p))) for p in paragraphs
    )


def _pdf_pages(path: Path, max_pages: int = 40) -> list[str]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(min(len(pdf), max_pages))]
    finally:
        pdf.close()


# key: (corpus file, title an uploader would leave: the file name)
CORPUS_DOCS = {
    "nuc1": "chatchat__核电厂定期安全审查指南 第1部分：通用要求（征求意见稿）.docx",
    "nuc6": (
        "chatchat__核电厂定期安全审查指南 第6部分：构筑物、系统和部件的实际状态-（征求意见稿）.docx"
    ),
    "nuc12": "chatchat__核电厂定期安全评价 第12部分：设计（征求意见稿20230317）.docx",
    "nuc7": "chatchat__行标编制说明（核电厂定期安全评价指南 第7部分：经验反馈）20230324.docx",
    "novel": "chatchat__1.pdf",
    "prompt": "chatchat__test.txt",
    "kb": "pdfjs__issue12823.pdf",
    "tracemonkey": "pdfjs__tracemonkey.pdf",
    "tam": "pdfjs__TAMReview.pdf",
    "wiki": "pdfjs__pdfjs_wikipedia.pdf",
    "journal": "tika__testJournalParser.pdf",
    "f1040": "pdfjs__prefilled_f1040.pdf",
    "form160": "pdfjs__160F-2019.pdf",
    "pdkids": "pdfjs__pdkids.pdf",
}


@cache
def corpus_texts() -> dict[str, tuple[str, str, list[str]]]:
    """key → (title, format, page texts); extracted once per test session."""
    out = {}
    for key, name in CORPUS_DOCS.items():
        path = CORPUS / "main" / name
        if not path.exists():
            continue
        title = name.split("__", 1)[1].rsplit(".", 1)[0]
        fmt = name.rsplit(".", 1)[1]
        if fmt == "docx":
            pages = _split_pages(_docx_text(path))
        elif fmt == "pdf":
            pages = _pdf_pages(path)
        else:
            pages = _split_pages(path.read_text(encoding="utf-8"))
        out[key] = (title, fmt, pages)
    if SEED.exists():
        lines = SEED.read_text(encoding="utf-8").splitlines()
        body = "\n".join(lines[2:])
        out["seed"] = (lines[0].rsplit(".", 1)[0], "docx", _split_pages(body))
    return out
