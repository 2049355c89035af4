"""The first pages of a document are visible to its uploader before the rest are done."""

import time

import pytest

from tests.conftest import corpus_file

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_first_pages_show_while_the_rest_convert(member_client, background_worker):
    with open(corpus_file("poi__bug65649.docx"), "rb") as fh:  # 180 pages
        response = member_client.post("/upload/", {"files": fh}, HTTP_ACCEPT="application/json")
    doc = response.json()["documents"][0]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = member_client.get(doc["status_url"]).json()
        if status["status"] == "converting" and status.get("pages"):
            break
        assert status["status"] != "ready", "finished before any early page was seen"
        time.sleep(0.2)
    else:
        raise AssertionError("no early pages")
    assert status["pages_ready"] < status["page_count"]
    assert "of" in status["status_label"] or "页" in status["status_label"]
    first = status["pages"][0]
    image = member_client.get(first["url"])
    assert image.status_code == 200
    assert image["Content-Type"] in ("image/png", "image/webp")
    html = member_client.get(f"/doc/{doc['id']}.html").content.decode()
    assert "_第1页" in html  # in the early pages, or the finished document by now
    # Nobody else sees the document before it is ready.
    from django.test import Client

    assert Client().get(first["url"]).status_code == 404
