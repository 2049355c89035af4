"""Helpers: real documents through the real conversion pipeline, a word list."""

from __future__ import annotations

from pathlib import Path

import pytest

from openwenku.conversion import pipeline
from openwenku.documents import services as documents
from openwenku.documents.models import Document
from openwenku.integrity import services
from openwenku.integrity.models import WordCategory

DEFAULT_CATEGORIES = ["政治", "色情", "赌博", "暴力", "广告"]


@pytest.fixture
def categories_of_words(db):
    """The default categories (a transactional test's flush removes migration rows)."""
    for name in DEFAULT_CATEGORIES:
        WordCategory.objects.get_or_create(name=name, defaults={"action": "hold"})
    return {c.name: c for c in WordCategory.objects.all()}


@pytest.fixture
def words(categories_of_words):
    """A small word list: one word per way of evading it."""
    services.words_import(
        text="敏感词\t政治\n赌场开户,赌博\nweixin\t广告\n法輪功\t政治\n",
    )
    return categories_of_words


def convert_file(owner, path: Path, *, title: str = "", description: str = "") -> Document:
    document = documents.document_create(
        owner=owner,
        incoming=documents.incoming_from_path(path),
        title=title or path.stem,
        description=description,
    )
    pipeline.convert(document.pk)
    return Document.objects.get(pk=document.pk)


@pytest.fixture
def convert_text(member, tmp_path):
    """Upload a .txt with ``text`` as ``member`` and convert it for real."""

    def convert(text: str, *, name: str = "doc.txt", title: str = "", description: str = ""):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return convert_file(member, path, title=title or "测试文档", description=description)

    return convert
