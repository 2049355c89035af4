"""Lists are paginated by ninja's pagination, in the shapes the API always had."""

import pytest
from django.test import Client

from openwenku.market.models import LedgerEntry

from .conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_my_documents_page_two(users):
    for n in range(51):
        make_doc(users["uploader"], pages=0, title=f"文档{n}")
    client = Client()
    client.force_login(users["uploader"])
    first = client.get("/api/documents/mine").json()
    assert (first["count"], first["page"], first["pages"]) == (51, 1, 2)
    assert len(first["results"]) == 50
    second = client.get("/api/documents/mine", {"page": 2}).json()
    assert (second["count"], second["page"], second["pages"]) == (51, 2, 2)
    assert [d["title"] for d in second["results"]] == ["文档0"]  # newest first: the oldest last
    # A page out of range answers the nearest one, as before.
    assert client.get("/api/documents/mine", {"page": 9}).json()["page"] == 2
    assert client.get("/api/documents/mine", {"page": 0}).json()["page"] == 1
    ready = client.get("/api/documents/mine", {"status": "converting"}).json()
    assert ready == {"count": 0, "page": 1, "pages": 1, "results": []}


def test_market_lists_stay_plain_arrays_a_page_at_a_time(users):
    for _ in range(51):
        grant(users["buyer"], 1)
    client = Client()
    client.force_login(users["buyer"])
    first = client.get("/api/market/ledger").json()
    second = client.get("/api/market/ledger", {"page": 2}).json()
    assert isinstance(first, list) and len(first) == 50 and len(second) == 1
    assert second[0]["id"] == LedgerEntry.objects.order_by("id").first().pk
    doc = make_doc(users["uploader"], price=2)
    body = {"document_id": doc.pk, "idempotency_key": "k", "expected_price": 2}
    client.post("/api/market/purchases", body, content_type="application/json")
    assert [p["document_id"] for p in client.get("/api/market/purchases").json()] == [doc.pk]
    assert client.get("/api/market/withdrawals").json() == []
