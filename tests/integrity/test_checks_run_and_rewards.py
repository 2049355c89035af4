"""``openwenku checks run`` re-runs every check and replaces the results; the
upload reward is withheld for low content and unreviewed holds."""

import pytest
from django.core.management import call_command

from openwenku.documents.content import meets_minimum_content, reward_eligible
from openwenku.documents.models import Document
from openwenku.integrity import selectors, services
from openwenku.integrity.models import CheckRun, Hit
from openwenku.market.models import LedgerEntry, MarketSettings
from openwenku.market.services.rewards import upload_reward_grant

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILLER = "本文介绍文库系统的设计与实现，包括上传、转换、检索和阅读等环节。" * 12


def test_checks_run_replaces_and_holds_after_a_list_change(
    words, convert_text, capsys, django_capture_on_commit_callbacks
):
    clean = convert_text(FILLER + "这里提到了新的说法。" + FILLER, name="a.txt")
    dirty = convert_text(FILLER + "敏感词" + FILLER, name="b.txt")
    assert (clean.status, dirty.status) == ("ready", "held")
    runs, hits = CheckRun.objects.count(), Hit.objects.count()

    call_command("checks", "run", "--all", "--no-progress")
    assert (CheckRun.objects.count(), Hit.objects.count()) == (runs, hits)
    out = capsys.readouterr().out
    assert "documents checked: 2, held: 1, rejected: 0" in out

    # The list changes; the re-check holds the published document that now matches.
    services.words_import(text="新的说法\t广告\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("checks", "run", "--document", str(clean.pk))
    clean.refresh_from_db()
    assert clean.status == Document.Status.HELD
    assert clean.failure_code == "sensitive_word"
    assert [h.excerpt for h in selectors.findings_for(clean)] == ["新的说法"]
    assert "held: 1" in capsys.readouterr().out
    assert CheckRun.objects.filter(document=clean).count() == runs // 2


def test_checks_run_refuses_unknown_documents():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such document: 999"):
        call_command("checks", "run", "--document", "999")


def test_mostly_blank_pages_earn_no_reward(convert_text):
    MarketSettings(upload_reward=2).save()
    document = convert_text(FILLER + "\f\f\f")
    assert document.page_count >= 3, document.page_count
    assert meets_minimum_content(document)
    kinds = [h.kind for h in selectors.findings_for(document)]
    assert "low_content" in kinds and kinds.count("blank_page") >= 2
    assert not reward_eligible(document)
    assert upload_reward_grant(document_id=document.pk) is None
    assert not LedgerEntry.objects.filter(kind="upload_reward").exists()


def test_a_substantial_document_is_rewarded(convert_text):
    MarketSettings(upload_reward=2).save()
    document = convert_text(FILLER)
    assert upload_reward_grant(document_id=document.pk) is not None


def test_an_unreviewed_hold_withholds_the_reward_until_accepted(words, convert_text):
    document = convert_text(FILLER + "敏感词" + FILLER)
    # A moderator publishes it without accepting the finding: still no reward.
    Document.objects.filter(pk=document.pk).update(status=Document.Status.READY)
    document.refresh_from_db()
    assert selectors.blocks_reward(document) and not reward_eligible(document)
    services.findings_accept(document, None)
    assert reward_eligible(document)
