import pytest

from openwenku.integrity import selectors

pytestmark = pytest.mark.django_db


FILLER = "这是一段用于测试的正文内容，讲述了文库系统的设计与实现。" * 20


def test_txt_with_a_word_is_held(words, convert_text):
    document = convert_text(FILLER + "这里有敏 感 詞出现。" + FILLER)
    assert document.status == "held", document.failure_reason
    hits = selectors.findings_for(document)
    assert [h.kind for h in hits] == ["sensitive_word"]
    assert hits[0].page == 1 and hits[0].excerpt.replace(" ", "") == "敏感詞"
    print(document.failure_message, hits[0].context)
