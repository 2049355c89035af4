"""Uploaders edit, unpublish, publish again and delete their documents."""

import pytest
from django.core.files.storage import default_storage
from django.test import Client

from openwenku.documents.models import Document
from tests.conftest import corpus_file, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ready_doc(member_client, categories):
    with open(corpus_file("pdfjs__tracemonkey.pdf"), "rb") as fh:
        response = member_client.post("/upload/", {"files": fh}, HTTP_ACCEPT="application/json")
    run_worker()
    return Document.objects.get(pk=response.json()["documents"][0]["id"])


def test_edit_changes_what_readers_see(member_client, ready_doc):
    from openwenku.documents.models import Category

    papers = Category.objects.get(name="期刊论文")
    response = member_client.post(
        f"/doc/{ready_doc.pk}/edit",
        {"title": "追踪编译论文", "category": papers.pk, "tags": "JIT 编译", "description": "好文"},
    )
    assert response.status_code == 302
    html = Client().get(f"/doc/{ready_doc.pk}.html").content.decode()
    assert "追踪编译论文" in html and "期刊论文" in html and "JIT" in html


def test_others_cannot_edit(ready_doc, django_user_model):
    other = Client()
    other.force_login(django_user_model.objects.create_user("li", password="x"))
    assert other.get(f"/doc/{ready_doc.pk}/edit").status_code == 403
    assert other.post(f"/doc/{ready_doc.pk}/delete").status_code == 403
    assert Document.objects.filter(pk=ready_doc.pk).exists()


def test_unpublish_hides_at_once_and_republish_restores(member_client, ready_doc):
    anonymous = Client()
    member_client.post(f"/doc/{ready_doc.pk}/unpublish")
    assert anonymous.get(f"/doc/{ready_doc.pk}.html").status_code == 404
    assert anonymous.get(f"/doc/{ready_doc.pk}/page/1").status_code == 404
    assert ready_doc.title not in anonymous.get("/").content.decode()
    assert member_client.get(f"/doc/{ready_doc.pk}/edit").status_code == 200
    member_client.post(f"/doc/{ready_doc.pk}/republish")
    assert anonymous.get(f"/doc/{ready_doc.pk}.html").status_code == 200


def test_delete_removes_row_and_files(member_client, ready_doc):
    names = [ready_doc.original.name, *ready_doc.pages.values_list("image", flat=True)]
    assert all(default_storage.exists(n) for n in names)
    response = member_client.post(f"/doc/{ready_doc.pk}/delete")
    assert response.status_code == 302
    assert not Document.objects.filter(pk=ready_doc.pk).exists()
    assert not any(default_storage.exists(n) for n in names)
