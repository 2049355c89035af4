"""A real DOCX through the real conversion pipeline (LibreOffice), then search."""

import pytest
from django.urls import reverse

from openwenku.conversion import pipeline
from openwenku.documents import services
from openwenku.documents.models import Document
from openwenku.search import selectors
from tests.conftest import corpus_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

DOCX = "chatchat__行标编制说明（核电厂定期安全评价指南 第7部分：经验反馈）20230324.docx"


def test_chinese_phrase_in_the_body_of_a_converted_docx(member, client):
    document = services.document_create(
        owner=member, incoming=services.incoming_from_path(corpus_file(DOCX)), title="编制说明"
    )
    assert pipeline.convert(document.pk) == "ready"  # publishing indexes it after commit
    # A phrase from the body (page 2 or later), not in the title.
    results = selectors.search_documents(query="“能源行业核电标准制修订计划”")
    assert [h.document.pk for h in results.hits] == [document.pk]
    snippet = results.hits[0].snippet
    assert "能源行业核电标准制修订计划" in snippet.text and len(snippet.text) <= 120
    page = client.get(reverse("search:search"), {"q": "经验反馈 修订"}).content.decode()
    assert document.get_absolute_url() in page and "第" in page
    # Taken down: gone from results at once.
    from django.db import transaction

    from openwenku.documents.signals import document_removed, send_after_commit

    with transaction.atomic():
        Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED)
        send_after_commit(document_removed, document.pk)
    assert selectors.search_documents(query="能源行业核电标准制修订计划").total == 0
