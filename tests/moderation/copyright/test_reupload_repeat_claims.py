"""Re-upload of a taken-down work, repeat infringers, claims (认领), buyers
refunded on takedown when the site says so, and the operators' API."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from openwenku.api.models import ApiToken
from openwenku.audit.models import AuditEntry
from openwenku.documents import services as documents
from openwenku.documents.models import Document
from openwenku.market import services as market
from openwenku.market.models import LedgerEntry, Purchase, SaleReversal, Wallet
from openwenku.market.selectors import balance_of
from openwenku.moderation import copyright as service
from openwenku.moderation.models import Claim, CopyrightNotice
from openwenku.notifications.models import Notification
from tests.conftest import corpus_file
from tests.market.conftest import grant, make_doc

from .conftest import NUMBER, notice_data, proof_file

pytestmark = [pytest.mark.django_db]

Action = AuditEntry.Action
SCAN = "pdfjs__tracemonkey.pdf"


def upload(client, path):
    with open(path, "rb") as fh:
        return client.post("/upload/", {"files": fh}, HTTP_ACCEPT="application/json")


def test_a_taken_down_work_cannot_come_back(client, users, operator, tmp_path):
    path = corpus_file(SCAN)
    client.force_login(users["uploader"])
    first = upload(client, path)
    assert first.status_code == 201, first.content
    doc = Document.objects.get(pk=first.json()["documents"][0]["id"])
    service.take_down(document=doc, cause="copyright", by=operator, reason="盗版")

    # Anyone, by the site, the API or the import command: refused with the reason.
    client.force_login(users["other"])
    again = upload(client, path)
    assert again.status_code == 400
    assert "版权" in again.json()["errors"][0] and SCAN in again.json()["errors"][0]
    with open(path, "rb") as fh:
        api = client.post("/api/documents", {"file": fh})
    assert api.status_code == 400 and api.json()["code"] == "upload_taken_down"
    copy = tmp_path / "改名.pdf"
    copy.write_bytes(path.read_bytes())
    out = StringIO()
    call_command("import", str(copy), owner="operator", stdout=out, stderr=StringIO())
    row = json.loads(out.getvalue().splitlines()[0])
    assert row["status"] == "refused" and row["code"] == "upload_taken_down"
    assert Document.objects.count() == 1

    # Restored, the same file may be uploaded again.
    takedown = doc.takedowns.get()
    service.takedown_restore(takedown=takedown, by=operator)
    assert upload(client, path).status_code == 201


def test_repeat_infringer_is_banned_from_uploading(client, users, operator, settings):
    from openwenku.accounts.models import Penalty

    settings.OPENWENKU = {**settings.OPENWENKU, "REPEAT_INFRINGER_NOTICES": 2}
    docs = [make_doc(users["uploader"], title=f"盗版书{n}") for n in range(3)]
    for n, doc in enumerate(docs[:2]):
        sent = client.post(
            "/copyright/notice/",
            notice_data(f"/doc/{doc.pk}.html", proof=[proof_file()]),
            REMOTE_ADDR=f"10.0.0.{n}",
        )
        notice = CopyrightNotice.objects.get(number=NUMBER.search(sent.content.decode()).group(0))
        assert not Penalty.objects.filter(member=users["uploader"]).exists()
        service.notice_accept(notice=notice, by=operator)
    ban = Penalty.objects.get(member=users["uploader"])
    assert ban.kind == "upload_ban" and ban.is_in_force() and ban.ends_at is not None
    assert "2" in ban.reason
    told = Notification.objects.get(recipient=users["uploader"], kind="penalty_imposed")
    assert ban.reason in told.body
    assert AuditEntry.objects.filter(action=Action.PENALTY, member=users["uploader"]).exists()
    assert service.upheld_notices_against(users["uploader"]) == 2
    # The ban refuses their uploads, with its reason and end.
    client.force_login(users["uploader"])
    refused = upload(client, corpus_file(SCAN))
    assert refused.status_code in (400, 403)
    assert Document.objects.filter(owner=users["uploader"]).count() == 3
    profile = client.get("/accounts/profile/").content.decode()
    assert "2" in profile and ban.reason[:10] in profile


def test_claim_moves_ownership_and_future_earnings(client, users, staff):
    author = users["other"]
    doc = make_doc(users["uploader"], price=10, pages=3, title="我写的讲义")
    grant(users["buyer"], 50)
    market.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="before")

    client.force_login(author)
    assert f"/doc/{doc.pk}/claim" in client.get(f"/doc/{doc.pk}.html").content.decode()
    sent = client.post(
        f"/doc/{doc.pk}/claim",
        {
            "evidence": "手稿与首发链接见附件。",
            "contact": "author@example.com",
            "proof": [proof_file()],
        },
    )
    assert sent.status_code == 302
    claim = Claim.objects.get()
    assert claim.attachments.count() == 1

    no_perm = staff("notice-only", "moderation.handle_notice")
    client.force_login(no_perm)
    assert client.get("/manage/claims/").status_code == 403
    assert client.post(f"/manage/claims/{claim.pk}/approve").status_code == 403

    handler = staff("claims-op", "moderation.handle_claim")
    client.force_login(handler)
    assert "手稿与首发链接" in client.get("/manage/claims/").content.decode()
    proof = client.get(f"/manage/attachments/{claim.attachments.get().pk}")
    assert proof.status_code == 200
    assert client.post(f"/manage/claims/{claim.pk}/approve").status_code == 302

    doc.refresh_from_db()
    assert doc.owner == author
    assert Notification.objects.filter(recipient=users["uploader"], kind="claim_transferred")
    assert Notification.objects.filter(recipient=author, kind="claim_approved")
    assert AuditEntry.objects.filter(action=Action.CLAIM_APPROVED, document_id=doc.pk).exists()
    # Past sales stay with the old owner; the next one earns for the author.
    assert Purchase.objects.get(idempotency_key="before").seller == users["uploader"]
    before = balance_of(author)
    newbuyer = type(author).objects.create_user("newbuyer", "n@example.com", "s3cret-Passw0rd")
    grant(newbuyer, 50)
    sale = market.purchase_create(buyer=newbuyer, document=doc, idempotency_key="after").purchase
    assert sale.seller == author
    assert balance_of(author) == before + sale.seller_share
    # The author manages it now; the old uploader no longer does.
    client.force_login(author)
    assert client.get(f"/doc/{doc.pk}/edit").status_code == 200
    client.force_login(users["uploader"])
    assert client.get(f"/doc/{doc.pk}/edit").status_code == 403


def test_rejected_claim_tells_the_claimant(client, users, staff):
    doc = make_doc(users["uploader"], title="别人的讲义")
    claim = service.claim_create(
        document=doc, claimant=users["other"], evidence="我觉得是我的", contact="x"
    )
    client.force_login(staff("claims-op", "moderation.handle_claim"))
    assert (
        client.post(f"/manage/claims/{claim.pk}/reject", {"reason": "证据不足"}).status_code == 302
    )
    note = Notification.objects.get(recipient=users["other"], kind="claim_rejected")
    assert "证据不足" in note.body
    assert Document.objects.get(pk=doc.pk).owner == users["uploader"]
    assert AuditEntry.objects.filter(action=Action.CLAIM_REJECTED).exists()


def test_takedown_refunds_buyers_when_the_site_says_so(
    users, operator, settings, django_capture_on_commit_callbacks
):
    settings.OPENWENKU = {**settings.OPENWENKU, "TAKEDOWN_REFUND_BUYERS": True}
    doc = make_doc(users["uploader"], price=10, pages=3)
    grant(users["buyer"], 10)
    sale = market.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k").purchase
    assert balance_of(users["buyer"]) == 0
    # The seller spends most of the income: the reversal cannot take it all.
    spend = make_doc(users["other"], price=sale.seller_share - 1, pages=1)
    market.purchase_create(buyer=users["uploader"], document=spend, idempotency_key="s")
    assert balance_of(users["uploader"]) == 1

    with django_capture_on_commit_callbacks(execute=True):
        service.take_down(document=doc, cause="copyright", by=operator)
    assert balance_of(users["buyer"]) == 10  # the whole price back
    assert balance_of(users["uploader"]) == 0  # never below zero
    reversal = SaleReversal.objects.get(purchase=sale)
    assert reversal.taken == 1 and reversal.owed == sale.seller_share - 1
    sale.refresh_from_db()
    assert sale.refunded_at is not None
    assert not Wallet.objects.filter(balance__lt=0).exists()
    refunds = LedgerEntry.objects.filter(purchase=sale, kind="refund").aggregate(s=Sum("amount"))
    assert refunds["s"] == 10 - 1 - sale.commission  # buyer +10, seller -1, site -commission


def test_operator_api_with_the_moderate_scope(client, users, operator, staff):
    doc = make_doc(users["uploader"], title="接口下架")
    sent = client.post(
        "/copyright/notice/", notice_data(f"/doc/{doc.pk}.html", proof=[proof_file()])
    )
    number = NUMBER.search(sent.content.decode()).group(0)

    def token(user, scopes):
        return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, scopes=scopes)[1]}"}

    op = token(operator, ["moderate"])
    listed = client.get("/api/copyright/notices", **op)
    assert listed.status_code == 200 and listed.json()[0]["number"] == number
    assert listed.json()[0]["documents"] == [doc.pk]
    notice_id = listed.json()[0]["id"]

    # Without the scope, or without the permission: refused.
    read_only = client.get("/api/copyright/notices", **token(operator, ["read"]))
    assert read_only.status_code == 403 and read_only.json()["code"] == "insufficient_scope"
    member = token(users["other"], ["moderate"])
    assert client.get("/api/copyright/notices", **member).status_code == 403
    refused = client.post(
        f"/api/copyright/notices/{notice_id}/accept", {}, content_type="application/json", **member
    )
    assert refused.status_code == 403

    accepted = client.post(
        f"/api/copyright/notices/{notice_id}/accept", {}, content_type="application/json", **op
    )
    assert accepted.status_code == 200, accepted.content
    takedown_id = accepted.json()[0]["id"]
    assert accepted.json()[0]["notice"] == number
    assert client.get(f"/api/documents/{doc.pk}").status_code == 410
    restored = client.post(
        f"/api/copyright/takedowns/{takedown_id}/restore",
        {"reason": "误判"},
        content_type="application/json",
        **op,
    )
    assert restored.status_code == 200 and restored.json()["status"] == "restored"
    assert client.get(f"/api/documents/{doc.pk}").status_code == 200

    down = client.post(
        f"/api/copyright/documents/{doc.pk}/take-down",
        {"cause": "illegal", "reason": "违法内容"},
        content_type="application/json",
        **op,
    )
    assert down.status_code == 200 and down.json()["cause"] == "illegal"
    assert client.get(f"/doc/{doc.pk}.html").status_code == 410
    again = client.post(
        f"/api/copyright/documents/{doc.pk}/take-down", {}, content_type="application/json", **op
    )
    assert again.status_code == 409
    rejected = client.post(
        f"/api/copyright/notices/{notice_id}/reject",
        {"reason": "x"},
        content_type="application/json",
        **op,
    )
    assert rejected.status_code == 409  # decided already
    assert documents.document_restore(document=doc, by=operator) is True


def test_a_conversion_under_way_cannot_publish_over_a_takedown(users, operator, tmp_path):
    from openwenku.conversion.services import conversion_claim, conversion_publish

    doc = make_doc(users["uploader"], pages=2, status="uploaded")
    claimed = conversion_claim(document_id=doc.pk, worker_id="w1")
    assert claimed is not None and claimed.status == "converting"
    service.take_down(document=doc, cause="illegal", by=operator)
    pdf = tmp_path / "out.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    published = conversion_publish(
        document=claimed, worker_id="w1", pdf=pdf, page_count=2, text_chars=1000
    )
    assert published is False
    assert Document.objects.get(pk=doc.pk).status == "taken_down"
    # Restored, it is converted again from the start.
    service.takedown_restore(takedown=doc.takedowns.get(), by=operator)
    assert Document.objects.get(pk=doc.pk).status == "uploaded"


def test_my_documents_offers_the_counter_notice(client, users, operator):
    doc = make_doc(users["uploader"], title="我的被下架文档")
    service.take_down(document=doc, cause="copyright", by=operator)
    client.force_login(users["uploader"])
    page = client.get("/my/documents/").content.decode()
    assert "已下架(版权)" in page
    assert f"/doc/{doc.pk}/counter-notice" in page
    assert f"/doc/{doc.pk}/edit" not in page
    form = client.get(f"/doc/{doc.pk}/counter-notice")
    assert form.status_code == 200 and "我的被下架文档" in form.content.decode()


def test_the_report_queue_takes_down_through_the_copyright_service(users, operator):
    from openwenku.moderation.models import Report, Takedown
    from openwenku.moderation.services import report_create, report_handle

    doc = make_doc(users["uploader"], title="泄露隐私的文档")
    report = report_create(
        document=doc, reporter=users["other"], reason="privacy", detail="身份证号"
    )
    report_handle(report=report, by=users["operator"], outcome="taken_down", note="含个人信息")
    doc.refresh_from_db()
    assert doc.status == "taken_down" and doc.takedown_cause == "privacy"
    takedown = Takedown.objects.get(document=doc)
    assert takedown.reason == "含个人信息"
    assert Notification.objects.filter(recipient=users["uploader"], kind="takedown").exists()
    assert Report.objects.get(pk=report.pk).outcome == "taken_down"
