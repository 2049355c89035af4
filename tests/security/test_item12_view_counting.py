"""Issue 11, item 12: anonymous page views create no session, count once per
visitor, and a loop cannot inflate a document's rankings."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from openwenku.documents import services
from openwenku.documents.models import Document
from openwenku.market.models import DocumentDay
from tests.market.conftest import make_doc

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def docs(django_user_model):
    owner = django_user_model.objects.create_user(username="owner", password="x")
    return [make_doc(owner, title=f"doc {i}") for i in range(5)]


def _views(doc) -> int:
    return Document.objects.get(pk=doc.pk).view_count


def test_item12_anonymous_views_create_no_session(docs):
    client = Client(HTTP_USER_AGENT="reader-a")
    response = client.get(docs[0].get_absolute_url())
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    assert Session.objects.count() == 0


def test_item12_a_visitor_counts_once_per_document(docs):
    a = Client(HTTP_USER_AGENT="reader-a")
    for _ in range(5):
        a.get(docs[0].get_absolute_url())
    assert _views(docs[0]) == 1
    assert DocumentDay.objects.get(document=docs[0]).views == 1
    Client(HTTP_USER_AGENT="reader-b").get(docs[0].get_absolute_url())
    assert _views(docs[0]) == 2  # another browser is another visitor


def test_item12_a_loop_cannot_inflate_rankings(docs, monkeypatch):
    monkeypatch.setattr(services, "VIEWS_PER_VISITOR_PER_HOUR", 3)
    loop = Client(HTTP_USER_AGENT="bot")
    for doc in docs:
        loop.get(doc.get_absolute_url())
    assert sum(_views(d) for d in docs) == 3
