"""Sensitive words: the operator's list holds real converted documents, evasions
included; hits carry the page and the original context; edits re-check."""

import pytest
from django.core.management import call_command

from openwenku.audit.models import AuditEntry
from openwenku.documents import services as documents
from openwenku.documents.content import reward_eligible
from openwenku.documents.models import Document
from openwenku.integrity import selectors, services, wordlist
from openwenku.integrity.models import CheckRun, Hit, SensitiveWord, WordCategory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FILLER = "本文介绍文库系统的设计与实现，包括上传、转换、检索和阅读等环节。" * 12


@pytest.mark.parametrize(
    ("planted", "word"),
    [
        ("敏 感 词", "敏感词"),  # spaced out
        ("敏.感.词", "敏感词"),  # punctuation between the characters
        ("敏感詞", "敏感词"),  # traditional
        ("ｗｅｉｘｉｎ", "weixin"),  # full-width Latin
        ("WeiXin", "weixin"),  # case
        ("赌、场、开、户", "赌场开户"),
        ("法轮功", "法轮功"),  # listed in traditional (法輪功), found in simplified
    ],
)
def test_evasions_hold_a_converted_document(words, convert_text, planted, word):
    document = convert_text(FILLER + f"这里写着{planted}。" + FILLER)
    assert document.status == Document.Status.HELD, document.failure_reason
    assert document.failure_code == "sensitive_word"
    [hit] = selectors.findings_for(document)
    assert (hit.kind, hit.severity, hit.page) == ("sensitive_word", "hold", 1)
    assert hit.details["word"] == word
    # The excerpt is the ORIGINAL text; the context is ±20 characters around it.
    assert hit.excerpt.replace(" ", "") == planted.replace(" ", "")
    assert "这里写着" in hit.context and len(hit.context) <= len(hit.excerpt) + 41


def test_the_uploader_reads_why_in_chinese(words, convert_text, member_client):
    document = convert_text(FILLER + "敏感词" + FILLER)
    page = member_client.get(document.get_absolute_url())
    assert page.status_code == 200
    assert "包含需要审核的词语" in page.content.decode()


def test_an_innocent_document_is_published(words, convert_text):
    # Parts of listed words in other words do not match (敏感 … 词典).
    document = convert_text(FILLER + "这些数据很敏感，要查一下词典里的解释。" + FILLER)
    assert document.status == Document.Status.READY
    assert selectors.findings_for(document) == []
    assert CheckRun.objects.filter(document=document).count() >= 3
    assert selectors.document_outcome(document) == "pass"


def test_hits_on_later_pages_name_their_page(words, convert_text):
    # A form feed starts a new page in a converted text file.
    document = convert_text(FILLER + "\f" + FILLER + "第二页出现敏感词。" + FILLER)
    assert document.page_count >= 2
    [hit] = selectors.findings_for(document)
    assert hit.page == 2 and "第二页出现" in hit.context


def test_category_action_decides(words, convert_text):
    WordCategory.objects.filter(name="赌博").update(action="reject")
    services.words_changed(by=None, reason="test")
    assert convert_text(FILLER + "赌场开户" + FILLER).status == Document.Status.REJECTED
    WordCategory.objects.filter(name="政治").update(action="info")
    services.words_changed(by=None, reason="test")
    document = convert_text(FILLER + "敏感词" + FILLER, name="info.txt")
    assert document.status == Document.Status.READY
    # (The member's earlier upload above is nearly the same text: own_duplicate, info.)
    hits = [h for h in selectors.findings_for(document) if h.kind == "sensitive_word"]
    assert [h.severity for h in hits] == ["info"]


def test_editing_the_title_holds_a_published_document(
    words, convert_text, django_capture_on_commit_callbacks
):
    document = convert_text(FILLER)
    assert document.status == Document.Status.READY
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_update(document=document, title="最新 敏 感 詞 合集")
    document.refresh_from_db()
    assert document.status == Document.Status.HELD
    assert document.failure_code == "sensitive_word"
    [hit] = selectors.findings_for(document)
    assert hit.page is None and hit.details["field"] == "title"
    assert not reward_eligible(document)


def test_tags_and_description_are_checked(words, convert_text, django_capture_on_commit_callbacks):
    document = convert_text(FILLER, description="免费资料")
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_update(
            document=document, title="资料", description="见说明", tags=["赌场开户"]
        )
    document.refresh_from_db()
    assert document.status == Document.Status.HELD
    assert [h.details["field"] for h in selectors.findings_for(document)] == ["tags"]


def test_an_accepted_finding_never_holds_again(
    words, convert_text, django_capture_on_commit_callbacks, django_user_model
):
    document = convert_text(FILLER + "敏感词" + FILLER)
    assert document.status == Document.Status.HELD
    moderator = django_user_model.objects.create_user("mod", password="x")
    assert services.findings_accept(document, moderator) == 1
    Document.objects.filter(pk=document.pk).update(status=Document.Status.READY)
    document.refresh_from_db()
    assert selectors.document_outcome(document) == "pass"
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_update(document=document, title="另一个标题")
    document.refresh_from_db()
    assert document.status == Document.Status.READY
    [hit] = selectors.findings_for(document)
    assert hit.accepted and hit.accepted_by == moderator
    # A NEW finding still holds it.
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_update(document=document, title="赌场开户")
    document.refresh_from_db()
    assert document.status == Document.Status.HELD


def test_every_worker_follows_a_change_to_the_list(words):
    before = wordlist.matcher()
    assert before.count("新词出现") == 0
    services.word_add(word="新 词", category=words["广告"])
    after = wordlist.matcher()
    assert after is not before and after.count("新词出现") == 1
    assert wordlist.matcher() is after  # built once per version


# -- import and export ------------------------------------------------------------


def test_import_reports_bad_lines_and_imports_nothing(categories_of_words):
    text = "好词\t广告\n\n# 注释\n，，，\t广告\n坏词\t不存在\n无分类\n"
    with pytest.raises(services.WordListInvalid) as caught:
        services.words_import(text=text)
    assert [line for line, _error in caught.value.errors] == [4, 5, 6]
    assert SensitiveWord.objects.count() == 0


def test_import_export_round_trip_and_replace(categories_of_words):
    result = services.words_import(text="甲乙\t广告\nＡＢＣ,色情\n丙丁\n", category="暴力")
    assert (result.added, result.changed) == (3, 0)
    assert dict(SensitiveWord.objects.values_list("word", "category__name")) == {
        "甲乙": "广告",
        "abc": "色情",
        "丙丁": "暴力",
    }
    exported = services.words_export()
    assert "abc\t色情\n" in exported
    result = services.words_import(text="甲乙\t赌博\n", replace=True)
    assert (result.changed, result.removed) == (1, 2)
    assert list(SensitiveWord.objects.values_list("word", "category__name")) == [("甲乙", "赌博")]
    assert AuditEntry.objects.filter(action="words_changed").count() == 2


def test_words_command(categories_of_words, tmp_path, capsys):
    source = tmp_path / "words.txt"
    source.write_text("\ufeff甲乙\n丙丁\t广告\n", encoding="utf-8")
    call_command("words", "import", str(source), "--category", "政治")
    assert SensitiveWord.objects.count() == 2
    target = tmp_path / "out.txt"
    call_command("words", "export", str(target))
    assert target.read_text(encoding="utf-8") == "丙丁\t广告\n甲乙\t政治\n"
    bad = tmp_path / "bad.txt"
    bad.write_text("好\n坏\t无此分类\n", encoding="utf-8")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="1 bad line"):
        call_command("words", "import", str(bad), "--category", "政治")
    assert f"{bad}:2:" in capsys.readouterr().err
    assert SensitiveWord.objects.count() == 2


def test_admin_import_page_and_audit(categories_of_words, admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    url = reverse("admin:integrity_sensitiveword_import")
    bad = SimpleUploadedFile("w.txt", "好词\t广告\n坏词\t没有\n".encode())
    page = admin_client.post(url, {"file": bad})
    assert page.status_code == 200 and "第 2 行" in page.content.decode()
    assert SensitiveWord.objects.count() == 0
    good = SimpleUploadedFile("w.txt", "好词\t广告\n".encode())
    assert admin_client.post(url, {"file": good}).status_code == 302
    assert SensitiveWord.objects.get().word == "好词"
    export = admin_client.get(reverse("admin:integrity_sensitiveword_export"))
    assert export.content.decode() == "好词\t广告\n"
    changelist = reverse("admin:integrity_sensitiveword_changelist")
    word = SensitiveWord.objects.get()
    admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [word.pk], "post": "yes"}
    )
    assert SensitiveWord.objects.count() == 0
    entries = list(AuditEntry.objects.filter(action="words_changed").order_by("id"))
    assert [e.reason for e in entries] == ["import", "delete"]
    assert entries[-1].actor_name == "admin"


def test_results_are_replaced_never_duplicated(words, convert_text):
    document = convert_text(FILLER + "敏感词" + FILLER)
    runs, hits = CheckRun.objects.count(), Hit.objects.count()
    for _ in range(2):
        services.run_checks(document)
    assert (CheckRun.objects.count(), Hit.objects.count()) == (runs, hits)


def test_a_change_in_the_shell_is_followed_too(words):
    before = wordlist.matcher()
    WordCategory.objects.filter(name="政治").update(action="reject")  # no signal: …
    word = SensitiveWord.objects.get(word="敏感词")
    word.save()  # … but saving a word (or a category) bumps the version
    assert wordlist.matcher() is not before
    assert wordlist.matcher().find("敏感词")[0].entry.action == "reject"


def test_admin_pages(words, convert_text, admin_client):
    from django.urls import reverse

    document = convert_text(FILLER + "敏感词" + FILLER)
    changelist = admin_client.get(reverse("admin:integrity_sensitiveword_changelist")).content
    assert "从文件导入".encode() in changelist and "敏感词".encode() in changelist
    run = CheckRun.objects.get(document=document, check_code="sensitive_words")
    page = admin_client.get(reverse("admin:integrity_checkrun_change", args=[run.pk]))
    assert page.status_code == 200 and "敏感词".encode() in page.content
    assert admin_client.get(reverse("admin:integrity_wordcategory_changelist")).status_code == 200
