"""The near-duplicate engine on documents built as rows (SQLite and PostgreSQL):
normalisation, fingerprints stored in the database, lookups, containment, forgetting."""

from __future__ import annotations

import pytest

from openwenku.documents.models import Document, DocumentPage
from openwenku.similarity import selectors, services
from openwenku.similarity.models import BandKey, Fingerprint
from openwenku.similarity.normalize import normalize
from tests.shared import CORPUS

pytestmark = pytest.mark.postgres


def test_normalize_folds_width_case_script_and_punctuation():
    assert normalize("Ｗｅｉ Ｘｉｎ：ABC-123！") == "weixinabc123"
    assert normalize("核電廠 定期、安全評價。") == "核电厂定期安全评价"
    assert normalize("敏 感\u3000词\u200b") == "敏感词"
    assert normalize("") == ""


@pytest.fixture
def text():
    path = CORPUS / "main" / "chatchat__test.txt"
    if not path.exists():
        pytest.skip("corpus missing")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def make(member):
    counter = {"n": 0}

    def make(pages: list[str], owner=None) -> Document:
        counter["n"] += 1
        document = Document.objects.create(
            owner=owner or member,
            title=f"doc {counter['n']}",
            original_name="doc.txt",
            size=100,
            sha256=f"{counter['n']:064x}",
            format="txt",
            status=Document.Status.READY,
            page_count=len(pages),
            pages_ready=len(pages),
        )
        for number, page in enumerate(pages, start=1):
            DocumentPage.objects.create(
                document=document, number=number, text=page, width=100, height=140
            )
        return document

    return make


def _pages(text: str, size: int = 1200) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


@pytest.mark.django_db
def test_copies_found_distinct_not(make, text):
    original = make(_pages(text))
    half = make(_pages(text[: len(text) // 2]))
    covered = make(["封面\n新标题 张三 二〇二四年", *_pages(text, 900)])
    other = make(_pages("The quick brown fox jumps over the lazy dog. " * 10 + "unrelated " * 300))
    for document in (original, half, covered, other):
        services.fingerprint(document)
        services.fingerprint(document)  # idempotent
    assert Fingerprint.objects.count() == 4
    found = selectors.find_similar(half)
    assert {m.document_id for m in found} == {original.pk, covered.pk}
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    first = {m.document_id: m for m in found}[original.pk]
    assert first.containment_of_new > 0.95 and first.method == "text"
    assert 0.4 < first.resemblance < 0.65
    assert all(m.document_id not in (half.pk, other.pk) for m in found)
    assert selectors.find_similar(other) == []
    earlier = selectors.find_similar(covered, earlier_only=True)
    assert {m.document_id for m in earlier} == {original.pk, half.pk}
    assert selectors.find_similar(original, earlier_only=True) == []


@pytest.mark.django_db
def test_forget_and_delete_remove_the_rows(make, text):
    a, b = make(_pages(text)), make(_pages(text))
    services.fingerprint(a)
    services.fingerprint(b)
    services.forget(a)
    assert not BandKey.objects.filter(document_id=a.pk).exists()
    assert selectors.find_similar(b) == []
    services.fingerprint(a)
    a.delete()
    assert not BandKey.objects.filter(document_id=a.pk).exists()
    assert not Fingerprint.objects.filter(document_id=a.pk).exists()


@pytest.mark.django_db
def test_rebuild_command_fingerprints_every_converted_document(make, text):
    from io import StringIO

    from django.core.management import call_command

    a, b = make(_pages(text)), make(_pages(text[:3000]))
    waiting = make(_pages(text))
    Document.objects.filter(pk=waiting.pk).update(status=Document.Status.UPLOADED)
    out = StringIO()
    call_command("similarity", "rebuild", "--no-progress", stdout=out)
    assert "fingerprinted 2, failed 0" in out.getvalue()
    assert set(Fingerprint.objects.values_list("document_id", flat=True)) == {a.pk, b.pk}
    assert [m.document_id for m in selectors.find_similar(b)] == [a.pk]
    call_command("similarity", "rebuild", "--missing", "--no-progress", stdout=out)
    assert "fingerprinted 0, failed 0" in out.getvalue()
