"""Copyright notice → takedown → 410 on every surface → counter-notice → restore
(or confirm), through the test client as people use the site. Every surface is
asserted in the very next request after the operator's action (no waiting)."""

import re

import pytest
from django.core import mail

from openwenku.audit.models import AuditEntry
from openwenku.documents.models import Document
from openwenku.market.models import SaleFreeze
from openwenku.market.selectors import earned_available
from openwenku.moderation.models import CopyrightNotice, CounterNotice, Takedown
from openwenku.notifications.models import Notification
from openwenku.search import selectors as search
from tests.conftest import run_worker
from tests.market.conftest import age_sales, page_urls

from .conftest import NUMBER, notice_data, proof_file

pytestmark = [pytest.mark.django_db]

Action = AuditEntry.Action


def titles(query):
    return [h.document.title for h in search.search_documents(query=query).hits]


def send_notice(client, *urls, **extra):
    data = notice_data(*urls, **extra)
    data.setdefault("proof", [proof_file(), proof_file("登记证书.png", b"\x89PNG proof")])
    return client.post("/copyright/notice/", data)


def surfaces(client, doc, buyer_urls, other):
    """What each surface answers now: the page, a page image, the cover, the
    download, the API, search, the related list of another document."""
    return {
        "page": client.get(f"/doc/{doc.pk}.html").status_code,
        "image": client.get(buyer_urls[3]).status_code,
        "cover": client.get(f"/doc/{doc.pk}/cover.webp").status_code,
        "download": client.get(f"/doc/{doc.pk}/download").status_code,
        "api": client.get(f"/api/documents/{doc.pk}").status_code,
        "search": doc.title in titles("唐诗宋词"),
        "search_page": f"/doc/{doc.pk}.html"
        in client.get("/search", {"q": "唐诗宋词"}).content.decode(),
        "related": doc.title in client.get(f"/doc/{other.pk}.html").content.decode(),
    }


SERVING = {
    "page": 200,
    "image": 200,
    "cover": 200,
    "download": 200,
    "api": 200,
    "search": True,
    "search_page": True,
    "related": True,
}
GONE = {
    "page": 410,
    "image": 410,
    "cover": 410,
    "download": 410,
    "api": 410,
    "search": False,
    "search_page": False,
    "related": False,
}


@pytest.mark.django_db(transaction=True)
def test_notice_takedown_counter_notice_restore(
    client, users, operator, published, django_capture_on_commit_callbacks
):
    work, other = published
    age_sales()
    share = earned_available(users["uploader"])
    assert share > 0

    # The rights holder, without an account, sends a notice from the footer's link.
    assert "/copyright/notice/" in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_notice(client, f"http://testserver/doc/{work.pk}.html")
    assert sent.status_code == 200
    number = NUMBER.search(sent.content.decode()).group(0)
    notice = CopyrightNotice.objects.get(number=number)
    assert list(notice.documents.all()) == [work] and notice.attachments.count() == 2
    run_worker()
    receipt = [m for m in mail.outbox if m.to == ["rights@publisher.example"]]
    assert len(receipt) == 1 and number in receipt[0].subject + receipt[0].body
    assert f"http://testserver/doc/{work.pk}.html" in receipt[0].body

    # The buyer reads every page today.
    buyer = client.__class__()
    buyer.force_login(users["buyer"])
    buyer_urls = page_urls(buyer.get(f"/doc/{work.pk}.html").content.decode())
    assert set(buyer_urls) == {1, 2, 3, 4, 5}
    assert surfaces(buyer, work, buyer_urls, other) == SERVING

    # The operator's queue: the notice, the document's pages inline, the proof files.
    op = client.__class__()
    op.force_login(operator)
    queue = op.get("/manage/notices/").content.decode()
    assert number in queue
    detail = op.get(f"/manage/notices/{notice.pk}/").content.decode()
    assert work.title in detail and f"/doc/{work.pk}/page/1?" in detail
    proof = notice.attachments.order_by("pk").first()
    download = op.get(f"/manage/attachments/{proof.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 proof of ownership\n"
    assert buyer.get(f"/manage/attachments/{proof.pk}").status_code == 403
    assert client.get(f"/manage/attachments/{proof.pk}").status_code == 302  # to log in

    # Accepted: every surface stops serving in the very next request.
    with django_capture_on_commit_callbacks(execute=True):
        accepted = op.post(f"/manage/notices/{notice.pk}/accept", {"documents": [work.pk]})
    assert accepted.status_code == 302
    assert surfaces(buyer, work, buyer_urls, other) == GONE
    anonymous = client.__class__()
    assert anonymous.get(f"/doc/{work.pk}.html").status_code == 410
    assert "版权" in anonymous.get(f"/doc/{work.pk}.html").content.decode()
    api = anonymous.get(f"/api/documents/{work.pk}").json()
    assert api["code"] == "taken_down"

    # Earnings from its sales are frozen; the uploader is told, in the site and by mail.
    assert SaleFreeze.objects.filter(document_id=work.pk).exists()
    assert earned_available(users["uploader"]) == 0
    notice_row = Notification.objects.get(recipient=users["uploader"], kind="takedown")
    assert notice_row.url == f"/doc/{work.pk}/counter-notice"
    run_worker()
    assert any(m.to == ["uploader@example.com"] and work.title in m.subject for m in mail.outbox)
    assert any(m.to == ["rights@publisher.example"] and "下架" in m.subject for m in mail.outbox)
    actions = set(AuditEntry.objects.filter(document_id=work.pk).values_list("action", flat=True))
    assert {Action.NOTICE_RECEIVED, Action.TAKEDOWN} <= actions

    # The uploader sees why, and answers with a counter-notice from the 410 page.
    uploader = client.__class__()
    uploader.force_login(users["uploader"])
    gone = uploader.get(f"/doc/{work.pk}.html")
    assert gone.status_code == 410
    assert f"/doc/{work.pk}/counter-notice" in gone.content.decode()
    assert number in gone.content.decode()
    counter = uploader.post(
        f"/doc/{work.pk}/counter-notice",
        {
            "real_name": "张三",
            "contact": "13800000000",
            "reasons": "本文档为本人原创讲义，与该辞典无关。",
            "statement": "on",
        },
    )
    assert counter.status_code == 302
    assert CounterNotice.objects.filter(status="open").count() == 1
    assert buyer.get(f"/doc/{work.pk}/counter-notice").status_code == 404  # not theirs

    # The operator restores it: everything serves again at once.
    takedown = Takedown.objects.get(document=work)
    page = op.get(f"/manage/takedowns/{takedown.pk}/").content.decode()
    assert "本人原创讲义" in page and f"/doc/{work.pk}/page/5?" in page
    with django_capture_on_commit_callbacks(execute=True):
        restored = op.post(f"/manage/takedowns/{takedown.pk}/restore", {"reason": "反通知成立"})
    assert restored.status_code == 302
    buyer_urls = page_urls(buyer.get(f"/doc/{work.pk}.html").content.decode())
    assert surfaces(buyer, work, buyer_urls, other) == SERVING
    assert earned_available(users["uploader"]) == share
    assert Notification.objects.filter(recipient=users["uploader"], kind="takedown_restored")
    run_worker()
    assert any(m.to == ["rights@publisher.example"] and "恢复" in m.subject for m in mail.outbox)
    actions = set(AuditEntry.objects.filter(document_id=work.pk).values_list("action", flat=True))
    assert {Action.COUNTER_NOTICE, Action.RESTORED} <= actions
    assert CounterNotice.objects.get().status == "restored"


def test_operator_takes_down_at_once_and_confirms(
    client, users, operator, published, django_capture_on_commit_callbacks
):
    work, _other = published
    client.force_login(operator)
    page = client.get(f"/doc/{work.pk}.html").content.decode()
    assert 'id="takedown-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/manage/documents/{work.pk}/take-down", {"cause": "privacy", "reason": "含身份证号"}
        )
    assert response.status_code == 302
    assert client.get(f"/doc/{work.pk}.html").status_code == 410
    work.refresh_from_db()
    assert work.status == "taken_down" and work.takedown_cause == "privacy"
    assert work.status_before_takedown == "ready"
    takedown = Takedown.objects.get(document=work)
    assert (
        client.post(f"/manage/takedowns/{takedown.pk}/confirm", {"reason": "确认"}).status_code
        == 302
    )
    takedown.refresh_from_db()
    assert takedown.status == "confirmed"
    assert Document.objects.get(pk=work.pk).status == "taken_down"
    assert Notification.objects.filter(recipient=users["uploader"], kind="takedown_confirmed")
    actions = list(AuditEntry.objects.filter(document_id=work.pk).values_list("action", flat=True))
    assert Action.TAKEDOWN in actions and Action.TAKEDOWN_CONFIRMED in actions
    # Once decided, nothing more to decide.
    assert client.post(f"/manage/takedowns/{takedown.pk}/restore").status_code == 409


def test_only_operators_with_the_permission_act(client, users, staff, published):
    work, _other = published
    sent = send_notice(client, f"/doc/{work.pk}.html")
    notice = CopyrightNotice.objects.get(number=NUMBER.search(sent.content.decode()).group(0))
    claims_only = staff("claims-op", "moderation.handle_claim")
    for who in (users["other"], users["uploader"], claims_only):
        client.force_login(who)
        assert client.get("/manage/notices/").status_code == 403
        assert client.get(f"/manage/notices/{notice.pk}/").status_code == 403
        assert client.post(f"/manage/notices/{notice.pk}/accept").status_code == 403
        assert (
            client.post(f"/manage/notices/{notice.pk}/reject", {"reason": "x"}).status_code == 403
        )
        take = client.post(f"/manage/documents/{work.pk}/take-down", {"cause": "copyright"})
        assert take.status_code == 403
        assert 'id="takedown-form"' not in client.get(f"/doc/{work.pk}.html").content.decode()
    # A notice handler may not take down at once without moderation.take_down.
    handler = staff("notice-op", "moderation.handle_notice")
    client.force_login(handler)
    take = client.post(f"/manage/documents/{work.pk}/take-down", {"cause": "copyright"})
    assert take.status_code == 403
    assert Document.objects.get(pk=work.pk).status == "ready"
    assert not AuditEntry.objects.filter(action=Action.TAKEDOWN).exists()


@pytest.mark.django_db(transaction=True)
def test_rejected_notice_tells_its_sender(
    client, operator, published, django_capture_on_commit_callbacks
):
    work, _other = published
    sent = send_notice(client, f"/doc/{work.pk}.html")
    notice = CopyrightNotice.objects.get(number=NUMBER.search(sent.content.decode()).group(0))
    client.force_login(operator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/notices/{notice.pk}/reject", {"reason": "未提供权属证明"})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.status == "rejected"
    assert client.get(f"/doc/{work.pk}.html").status_code == 200
    run_worker()
    rejected = [m for m in mail.outbox if "未提供权属证明" in m.body]
    assert rejected and rejected[0].to == ["rights@publisher.example"]
    assert AuditEntry.objects.filter(action=Action.NOTICE_REJECTED, document_id=work.pk).exists()


def test_notice_form_refusals(client, published, settings):
    work, _other = published
    unknown = send_notice(
        client, f"http://testserver/doc/{work.pk}.html", "https://elsewhere.example/doc/1.html"
    )
    assert unknown.status_code == 400
    assert "第 2 行" in unknown.content.decode() or "2" in re.sub(
        r"<[^>]+>", "", unknown.content.decode()
    )
    assert "elsewhere.example" in unknown.content.decode()
    missing = client.post("/copyright/notice/", notice_data(f"/doc/{work.pk}.html", accurate=""))
    assert missing.status_code == 400
    too_big = send_notice(
        client, f"/doc/{work.pk}.html", proof=[proof_file(data=b"x" * (10 * 1024 * 1024 + 1))]
    )
    assert too_big.status_code == 400
    assert not CopyrightNotice.objects.exists()
    # A few notices an hour per client address.
    statuses = [send_notice(client, f"/doc/{work.pk}.html").status_code for _ in range(6)]
    assert statuses[-1] == 429
    assert CopyrightNotice.objects.count() <= 5


def test_one_notice_names_several_documents_and_the_operator_picks(
    client, users, operator, published
):
    work, other = published
    sent = send_notice(
        client,
        f"http://testserver/doc/{work.pk}.html",
        "",
        f"/doc/{other.pk}.html?from=search",
        f"testserver/doc/{work.pk}.html",  # the same document again, without the scheme
    )
    assert sent.status_code == 200
    notice = CopyrightNotice.objects.get(number=NUMBER.search(sent.content.decode()).group(0))
    assert sorted(d.pk for d in notice.documents.all()) == sorted([work.pk, other.pk])
    client.force_login(operator)
    client.post(f"/manage/notices/{notice.pk}/accept", {"documents": [other.pk]})
    assert client.get(f"/doc/{other.pk}.html").status_code == 410
    assert client.get(f"/doc/{work.pk}.html").status_code == 200
    assert CopyrightNotice.objects.get(pk=notice.pk).status == "accepted"
    # Decided once: a second decision is refused.
    assert client.post(f"/manage/notices/{notice.pk}/accept").status_code == 409
