"""Documents built as rows (with real small WebP page images and a real
original file on the test's private storage), members in every role."""

import datetime as dt
import io
import itertools
import re

import pytest
from django.core.files.base import ContentFile
from django.db.models import F
from PIL import Image

from openwenku.documents.models import Document, DocumentPage
from openwenku.market import services
from openwenku.market.models import Purchase

_sha = itertools.count(1)


def webp_bytes(colour=(200, 200, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 56), colour).save(buf, "WEBP")
    return buf.getvalue()


def make_doc(
    owner, *, price=0, pages=3, preview_pages=None, title="季度报告.pdf", sha=None, **extra
):
    doc = Document(
        owner=owner,
        title=title,
        original_name=extra.pop("original_name", title),
        size=1000,
        sha256=sha or f"{next(_sha):064x}",
        format="pdf",
        status=extra.pop("status", "ready"),
        page_count=pages,
        pages_ready=pages,
        price=price,
        preview_pages=preview_pages,
        **extra,
    )
    doc.original.save("original", ContentFile(b"%PDF-1.4 original bytes\n"), save=False)
    doc.save()
    for n in range(1, pages + 1):
        page = DocumentPage(
            document=doc, number=n, width=40, height=56, text=f"第{n}页的正文内容PAGE{n}TEXT"
        )
        page.image.save(f"{n}.webp", ContentFile(webp_bytes((n * 20 % 255, 100, 100))), save=False)
        page.save()
    return doc


def age_sales(days=None):
    """Move every sale past the hold, so its income is withdrawable (the hold
    itself is tested in tests/security/test_item02_sales.py)."""
    from django.conf import settings

    days = settings.OPENWENKU["SALE_HOLD_DAYS"] + 1 if days is None else days
    Purchase.objects.update(created_at=F("created_at") - dt.timedelta(days=days))


def grant(user, amount):
    return services.coins_grant(user=user, amount=amount, reason="test")


_IMG = re.compile(r'<img src="([^"]+/page/(\d+)\?[^"]+)"')


def page_urls(html: str) -> dict[int, str]:
    return {int(n): url.replace("&amp;", "&") for url, n in _IMG.findall(html)}


def reader_page_urls(client, doc) -> dict[int, str]:
    """Every page image URL the reader gets: the first pages in the document
    page's HTML, the rest in batches from its pages.json (as reader.js asks)."""
    urls = page_urls(client.get(doc.get_absolute_url()).content.decode())
    while True:
        following = max(urls, default=0) + 1
        batch = client.get(f"/doc/{doc.pk}/pages.json", {"from": following}).json()["pages"]
        fresh = {p["number"]: p["url"] for p in batch if p["number"] not in urls}
        if not fresh:
            return urls
        urls.update(fresh)


@pytest.fixture
def users(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def mk(name, **kw):
        return django_user_model.objects.create_user(
            username=name, password="s3cret-Passw0rd", email=f"{name}@example.com", **kw
        )

    return {
        "uploader": mk("uploader", display_name="上传者"),
        "buyer": mk("buyer", display_name="买家"),
        "other": mk("other", display_name="路人"),
        "operator": mk("operator", is_staff=True, is_superuser=True),
    }
