"""Downloads (names, counting, caps), upload and sign-in rewards, withdrawals,
earnings, and pricing at upload and later."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from openwenku.documents.models import Document
from openwenku.documents.signals import document_published
from openwenku.market import services
from openwenku.market.models import DocumentDay, Download, MarketSettings, PricingLock, Withdrawal
from openwenku.market.selectors import balance_of, earned_available

from .conftest import age_sales, grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_download_keeps_the_chinese_name_and_is_counted(client, users):
    doc = make_doc(users["uploader"], price=0, original_name="2024年度 工作总结.pdf")
    client.force_login(users["other"])
    response = client.get(f"/doc/{doc.pk}/download", REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('2024年度 工作总结.pdf')}" in disposition
    assert response["Cache-Control"] == "private, no-store"
    b"".join(response.streaming_content)
    doc.refresh_from_db()
    assert doc.download_count == 1
    assert Download.objects.get().ip == "10.0.0.9"
    assert DocumentDay.objects.get(document=doc).downloads == 1


def test_daily_caps_per_member_and_per_address(client, users):
    MarketSettings(downloads_per_user_per_day=2, downloads_per_ip_per_day=3).save()
    doc = make_doc(users["uploader"], price=0)
    client.force_login(users["other"])
    codes = [client.get(f"/doc/{doc.pk}/download").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert "2" in client.get(f"/doc/{doc.pk}/download").content.decode()
    client.force_login(users["buyer"])  # same address, another member
    assert client.get(f"/doc/{doc.pk}/download").status_code == 200
    assert client.get(f"/doc/{doc.pk}/download").status_code == 429  # the address cap
    client.force_login(users["operator"])
    assert client.get(f"/doc/{doc.pk}/download").status_code == 200  # operators are not capped
    # Yesterday's downloads do not count.
    Download.objects.update(created_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    client.force_login(users["other"])
    assert client.get(f"/doc/{doc.pk}/download").status_code == 200


def test_upload_reward_once_per_file_ever(users):
    MarketSettings(upload_reward=3).save()
    first = make_doc(users["uploader"], sha="a" * 64, text_chars=5000)
    document_published.send(sender=None, document_id=first.pk)
    document_published.send(sender=None, document_id=first.pk)  # a re-conversion
    assert balance_of(users["uploader"]) == 3
    # Deleted and uploaded again (by anyone): nothing.
    Document.objects.filter(pk=first.pk).delete()
    again = make_doc(users["uploader"], sha="a" * 64, text_chars=5000)
    document_published.send(sender=None, document_id=again.pk)
    copy = make_doc(users["other"], sha="a" * 64, text_chars=5000)
    document_published.send(sender=None, document_id=copy.pk)
    assert balance_of(users["uploader"]) == 3 and balance_of(users["other"]) == 0
    # A new file earns; a document not ready does not.
    fresh = make_doc(users["other"], sha="b" * 64, text_chars=5000)
    pending = make_doc(users["other"], sha="c" * 64, status="converting", text_chars=5000)
    document_published.send(sender=None, document_id=fresh.pk)
    document_published.send(sender=None, document_id=pending.pk)
    assert balance_of(users["other"]) == 3


@pytest.mark.django_db(transaction=True)
def test_upload_reward_after_a_real_conversion(member, categories):
    from openwenku.documents import services as documents
    from tests.conftest import corpus_file, run_worker

    MarketSettings(upload_reward=2).save()
    path = corpus_file("pdfjs__tracemonkey.pdf")
    doc = documents.document_create(
        owner=member, incoming=documents.incoming_from_path(path), price=3, preview_pages=2
    )
    assert (doc.price, doc.preview_pages) == (3, 2)
    run_worker()
    doc.refresh_from_db()
    assert doc.status == "ready"
    assert balance_of(member) == 2


def test_signin_once_a_day(client, users):
    client.force_login(users["buyer"])
    assert (
        "签到" in client.get("/").content.decode()
        or "Sign in today" in client.get("/").content.decode()
    )
    client.post("/my/signin", {"next": "/"})
    client.post("/my/signin", {"next": "/"})
    assert balance_of(users["buyer"]) == 1
    response = client.post("/api/market/signin")
    assert response.status_code == 409 and response.json()["code"] == "already_signed_in"


def test_withdrawal_hold_approve_reject(users):
    MarketSettings(min_withdrawal=5).save()
    seller, op = users["uploader"], users["operator"]
    grant(seller, 50)  # granted coins can be spent, not withdrawn
    assert earned_available(seller) == 0
    doc = make_doc(seller, price=20)
    grant(users["buyer"], 20)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    assert balance_of(seller) == 70 and earned_available(seller) == 0  # on hold
    age_sales()
    assert earned_available(seller) == 20
    with pytest.raises(services.MarketRefused, match="5"):
        services.withdrawal_request(user=seller, amount=4, account="支付宝", idempotency_key="a")
    with pytest.raises(services.MarketRefused, match="20"):
        services.withdrawal_request(user=seller, amount=21, account="支付宝", idempotency_key="a")
    w1 = services.withdrawal_request(user=seller, amount=12, account="支付宝", idempotency_key="a")
    again = services.withdrawal_request(
        user=seller, amount=12, account="支付宝", idempotency_key="a"
    )
    assert w1.created and not again.created and again.withdrawal.pk == w1.withdrawal.pk
    assert balance_of(seller) == 58 and earned_available(seller) == 8
    services.withdrawal_reject(withdrawal=w1.withdrawal, by=op, note="账户有误")
    assert balance_of(seller) == 70 and earned_available(seller) == 20
    w2 = services.withdrawal_request(user=seller, amount=20, account="支付宝", idempotency_key="b")
    services.withdrawal_approve(withdrawal=w2.withdrawal, by=op)
    assert balance_of(seller) == 50 and earned_available(seller) == 0
    with pytest.raises(services.MarketRefused):
        services.withdrawal_approve(withdrawal=w2.withdrawal, by=op)
    assert Withdrawal.objects.get(pk=w2.withdrawal.pk).status == "approved"
    from .test_ledger import assert_ledger_consistent

    assert_ledger_consistent()


def test_withdraw_page(client, users):
    MarketSettings(min_withdrawal=1).save()
    doc = make_doc(users["uploader"], price=9)
    grant(users["buyer"], 9)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    age_sales()
    client.force_login(users["uploader"])
    page = client.get("/my/withdraw/").content.decode()
    assert "9" in page
    key = "form-key-1"
    for _ in range(2):
        response = client.post(
            "/my/withdraw/", {"amount": 9, "account": "支付宝 王", "idempotency_key": key}
        )
        assert response.status_code == 302
    assert Withdrawal.objects.count() == 1
    wallet = client.get("/my/wallet/").content.decode()
    assert "<td>9</td>" in wallet


def test_earnings_page_numbers_and_chart(client, users):
    doc = make_doc(users["uploader"], price=4, title="考研真题.pdf")
    make_doc(users["uploader"], price=0, title="免费资料.pdf")
    grant(users["buyer"], 8)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    client.force_login(users["buyer"])
    client.get(doc.get_absolute_url())
    client.get(f"/doc/{doc.pk}/download")
    client.force_login(users["uploader"])
    html = client.get("/my/earnings/").content.decode()
    assert "考研真题.pdf" in html and "免费资料.pdf" in html
    assert '<svg class="chart"' in html and 'class="bar"' in html
    assert '<span class="stat-value" id="earned">4</span>' in html
    body = client.get("/api/market/earnings?days=7").json()
    row = next(d for d in body["documents"] if d["title"] == "考研真题.pdf")
    assert (row["views"], row["downloads"], row["sales"], row["earned"]) == (1, 1, 1, 4)
    assert body["days"][-1]["coins"] == 4 and body["days"][-1]["downloads"] == 1
    assert body["days"][-1]["views"] == 1
    assert client.get("/my/earnings/?days=365").status_code == 200


def test_upload_form_takes_price_and_preview_pages(member_client, member, categories):
    from tests.conftest import corpus_file

    path = corpus_file("pdfjs__tracemonkey.pdf")
    upload = SimpleUploadedFile("追踪.pdf", path.read_bytes(), content_type="application/pdf")
    response = member_client.post(
        "/upload/", {"files": upload, "price": "6", "preview_pages": "2", "title": "追踪"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    doc = Document.objects.get(owner=member)
    assert (doc.price, doc.preview_pages) == (6, 2)


def test_api_upload_and_pricing(client, users, categories):
    from tests.conftest import corpus_file

    client.force_login(users["uploader"])
    with open(corpus_file("pdfjs__tracemonkey.pdf"), "rb") as fh:
        response = client.post("/api/documents", {"file": fh, "price": "5", "preview_pages": "3"})
    assert response.status_code == 201, response.content
    doc = Document.objects.get(pk=response.json()["id"])
    assert (doc.price, doc.preview_pages) == (5, 3)
    response = client.put(
        f"/api/market/documents/{doc.pk}/pricing",
        {"price": 0, "preview_pages": None},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["price"] == 0
    response = client.put(
        f"/api/market/documents/{doc.pk}/pricing", {"price": -1}, content_type="application/json"
    )
    assert response.status_code == 400


def test_operator_can_override_and_lock_the_price(client, users):
    doc = make_doc(users["uploader"], price=50, pages=12)
    client.force_login(users["operator"])
    response = client.post(
        f"/doc/{doc.pk}/pricing",
        {"price": 5, "preview_pages": 4, "lock": "on", "reason": "定价过高"},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert (doc.price, doc.preview_pages) == (5, 4) and PricingLock.objects.filter(
        document=doc
    ).exists()
    client.force_login(users["uploader"])
    response = client.post(f"/doc/{doc.pk}/pricing", {"price": 80, "preview_pages": 1})
    assert response.status_code == 400
    doc.refresh_from_db()
    assert doc.price == 5
    assert "定价过高" in client.get(f"/doc/{doc.pk}/pricing").content.decode()
