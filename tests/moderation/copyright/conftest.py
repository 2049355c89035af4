"""Fixtures of the copyright tests (tests/moderation/conftest.py belongs to the
review half): members in every role, documents as rows, and
operators holding only the moderation permissions they are given."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openwenku.search import services as search_services
from tests.access.conftest import staff  # noqa: F401  (an operator with named permissions)
from tests.market.conftest import make_doc, users  # noqa: F401

NUMBER = re.compile(r"CN\d{8}-\d{6}")


@pytest.fixture
def operator(staff):  # noqa: F811
    return staff("copyright-op", "moderation.handle_notice", "moderation.take_down")


@pytest.fixture
def published(users, categories):  # noqa: F811
    """Two ready documents of the uploader in one category, indexed for search;
    the buyer bought the first (5 pages, 5 coins, 2 free pages)."""
    from openwenku.documents.models import Category
    from openwenku.market import services
    from tests.market.conftest import grant

    node = Category.objects.filter(parent__isnull=True).order_by("position", "id").first()
    work = make_doc(
        users["uploader"],
        price=5,
        pages=5,
        preview_pages=2,
        title="唐诗宋词鉴赏辞典",
        category=node,
    )
    other = make_doc(users["uploader"], pages=2, title="宋词格律入门讲义", category=node)
    from openwenku.documents.models import Document

    Document.objects.filter(pk=work.pk).update(cover=work.pages.get(number=1).image.name)
    work.refresh_from_db()
    for d in (work, other):
        search_services.search_index_document(document_id=d.pk)
    grant(users["buyer"], 20)
    services.purchase_create(buyer=users["buyer"], document=work, idempotency_key="buy-1")
    return work, other


def proof_file(name="授权书.pdf", data=b"%PDF-1.4 proof of ownership\n"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def notice_data(*urls, **extra):
    data = {
        "name": "某某出版社",
        "email": "rights@publisher.example",
        "phone": "010-12345678",
        "work": "《唐诗宋词鉴赏辞典》，2020 年版，本社享有专有出版权。",
        "urls": "\n".join(urls),
        "good_faith": "on",
        "accurate": "on",
    }
    data.update(extra)
    return data
