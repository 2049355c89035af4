"""Issue 11, item 2: coins cannot be minted. An upload earns a reward only if
the document meets the minimum-content rule (checked on publishing and again
when OCR adds text, paid once per document); reward coins are capped per
member and day; an operator removing a document for cause takes its reward
back in a visible ledger entry."""

import pytest
from django.test import Client

from openwenku.documents.models import Document
from openwenku.documents.signals import document_published, document_text_changed
from openwenku.market import services
from openwenku.market.models import LedgerEntry, MarketSettings, RewardClawback
from openwenku.market.selectors import balance_of
from tests.market.conftest import make_doc
from tests.market.test_concurrency import run_concurrently
from tests.market.test_ledger import assert_ledger_consistent

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def limits(settings):
    def set_(**values):
        settings.OPENWENKU = {**settings.OPENWENKU, **values}

    set_(MIN_PAGES=1, MIN_TEXT_CHARS=300, REWARD_DAILY_CAP=1000)
    return set_


def _real(owner, **extra):
    """A document with real substance: pages and thousands of characters."""
    return make_doc(owner, pages=extra.pop("pages", 3), text_chars=4000, **extra)


def test_item02_five_hundred_tiny_files_earn_nothing(users, limits):
    MarketSettings(upload_reward=2).save()
    owner = users["other"]
    # 500 distinct one-byte text files, converted: one page, one character each.
    docs = Document.objects.bulk_create(
        Document(
            owner=owner,
            title=f"{i}.txt",
            original_name=f"{i}.txt",
            original=f"originals/{i}.txt",
            size=1,
            sha256=f"{i:064x}",
            format="txt",
            status="ready",
            page_count=1,
            pages_ready=1,
            text_chars=1,
        )
        for i in range(1, 501)
    )
    for doc in docs:
        document_published.send(sender=None, document_id=doc.pk)
    assert balance_of(owner) == 0
    assert not LedgerEntry.objects.filter(kind="upload_reward").exists()


def test_item02_a_real_document_earns_once(users, limits):
    MarketSettings(upload_reward=3).save()
    doc = _real(users["uploader"])
    for _ in range(3):  # published, re-converted, republished
        document_published.send(sender=None, document_id=doc.pk)
    document_text_changed.send(sender=None, document_id=doc.pk)
    assert balance_of(users["uploader"]) == 3
    assert LedgerEntry.objects.filter(kind="upload_reward", document_id=doc.pk).count() == 1
    # Pages are counted too: a long text on zero pages (not converted) earns nothing.
    limits(MIN_PAGES=2)
    short = _real(users["other"], pages=1)
    document_published.send(sender=None, document_id=short.pk)
    assert balance_of(users["other"]) == 0


def test_item02_a_scan_earns_when_ocr_adds_its_text(users, limits):
    MarketSettings(upload_reward=2).save()
    scan = make_doc(users["uploader"], pages=4, text_chars=0)
    document_published.send(sender=None, document_id=scan.pk)
    assert balance_of(users["uploader"]) == 0
    # OCR found text after publishing (conversion_finish_ocr recounts and announces).
    Document.objects.filter(pk=scan.pk).update(text_chars=2500)
    document_text_changed.send(sender=None, document_id=scan.pk)
    document_text_changed.send(sender=None, document_id=scan.pk)
    document_published.send(sender=None, document_id=scan.pk)
    assert balance_of(users["uploader"]) == 2


def test_item02_daily_reward_cap_holds_under_repeated_grants(client, users, limits):
    limits(REWARD_DAILY_CAP=5)
    MarketSettings(upload_reward=2, signin_reward=2).save()
    member = users["uploader"]
    assert services.signin_claim(user=member) == 2
    for _ in range(6):
        document_published.send(sender=None, document_id=_real(member).pk)
    assert balance_of(member) == 5  # 2 + 2 + 1, then nothing
    amounts = sorted(
        LedgerEntry.objects.filter(wallet__user=member, kind="upload_reward").values_list(
            "amount", flat=True
        )
    )
    assert amounts == [1, 2]
    # Another member's own cap is untouched, and the sign-in says what it gave.
    client.force_login(users["other"])
    response = client.post("/my/signin", {"next": "/my/wallet/"}, follow=True)
    assert balance_of(users["other"]) == 2
    assert "+2" in response.content.decode()
    assert_ledger_consistent()


@pytest.mark.django_db(transaction=True)
def test_item02_daily_cap_holds_under_racing_grants(users, limits):
    limits(REWARD_DAILY_CAP=7)
    MarketSettings(upload_reward=2).save()
    member = users["uploader"]
    docs = [_real(member, pages=1) for _ in range(12)]
    results = run_concurrently(12, lambda i: services.upload_reward_grant(document_id=docs[i].pk))
    assert all(ok for ok, _ in results), results
    assert balance_of(member) == 7
    assert_ledger_consistent()


def test_item02_operator_removal_takes_the_reward_back(users, limits):
    MarketSettings(upload_reward=5).save()
    owner, operator = users["uploader"], users["operator"]
    doc = _real(owner)
    document_published.send(sender=None, document_id=doc.pk)
    assert balance_of(owner) == 5
    web = Client()
    web.force_login(operator)
    assert web.post(f"/doc/{doc.pk}/unpublish").status_code == 302
    assert balance_of(owner) == 0
    clawback = LedgerEntry.objects.get(kind="reward_clawback")
    assert (clawback.amount, clawback.document_id, clawback.created_by) == (-5, doc.pk, operator)
    # History is kept: the reward is still there, reversed, not edited away.
    assert LedgerEntry.objects.get(kind="upload_reward").amount == 5
    # The member sees it in their coin history.
    web.force_login(owner)
    wallet = web.get("/my/wallet/").content.decode()
    assert "-5" in wallet
    # Republished and removed again: taken back only once.
    web.force_login(operator)
    web.post(f"/doc/{doc.pk}/republish")
    web.post(f"/doc/{doc.pk}/delete")
    assert LedgerEntry.objects.filter(kind="reward_clawback").count() == 1
    assert_ledger_consistent()


def test_item02_uploader_unpublishing_keeps_the_reward(users, limits):
    MarketSettings(upload_reward=5).save()
    doc = _real(users["uploader"])
    document_published.send(sender=None, document_id=doc.pk)
    web = Client()
    web.force_login(users["uploader"])
    web.post(f"/doc/{doc.pk}/unpublish")
    web.post(f"/doc/{doc.pk}/delete")
    assert balance_of(users["uploader"]) == 5
    assert not LedgerEntry.objects.filter(kind="reward_clawback").exists()


def test_item02_clawback_of_a_spent_reward_records_the_debt(users, limits):
    MarketSettings(upload_reward=5).save()
    owner = users["uploader"]
    doc = _real(owner)
    document_published.send(sender=None, document_id=doc.pk)
    priced = make_doc(users["other"], price=3)
    services.purchase_create(buyer=owner, document=priced, idempotency_key="spend")
    record = services.reward_clawback(document=doc, reason="抄袭", by=users["operator"])
    assert (record.reward, record.taken, record.owed) == (5, 2, 3)
    assert balance_of(owner) == 0  # never below zero
    assert LedgerEntry.objects.get(kind="reward_clawback").amount == -2
    assert services.reward_clawback(document=doc, reason="again") is None
    assert RewardClawback.objects.count() == 1
    assert_ledger_consistent()


def test_item02_operator_deleting_a_document_takes_the_reward_back(users, limits):
    MarketSettings(upload_reward=4).save()
    doc = _real(users["uploader"])
    document_published.send(sender=None, document_id=doc.pk)
    web = Client()
    web.force_login(users["operator"])
    assert web.post(f"/doc/{doc.pk}/delete").status_code == 302
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert balance_of(users["uploader"]) == 0
    entry = LedgerEntry.objects.get(kind="reward_clawback")
    assert (entry.amount, entry.document_id) == (-4, doc.pk)
    assert_ledger_consistent()
