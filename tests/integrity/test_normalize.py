"""The normaliser the matchers use: evasions reduce to one form, positions map
back to the original, and the fast (array) path agrees with the plain one."""

import random

import pytest

from openwenku.integrity.normalize import fold, normalize, offsets
from openwenku.integrity.wordlist import Entry, Matcher


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("敏 感 词", "敏感词"),
        ("敏.感.词！", "敏感词"),
        ("敏感詞", "敏感词"),
        ("ｗｅｉｘｉｎ", "weixin"),
        ("Wei Xin", "weixin"),
        ("①２３", "123"),
        ("敏\u200b感\u3000词", "敏感词"),  # zero-width space, ideographic space
    ],
)
def test_evasions_reduce_to_one_form(text, expected):
    assert normalize(text) == expected


def test_fold_keeps_punctuation():
    assert fold("微信：ABC123 ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ") == "微信:abc123 www.example.com"


def test_positions_map_back_to_the_original():
    text = "前文，敏 感 詞。后文"
    normalised, starts = normalize(text), offsets(text)
    assert len(starts) == len(normalised)
    start = normalised.index("敏感词")
    assert text[starts[start] : starts[start + 2] + 1] == "敏 感 詞"


def test_the_fast_path_finds_what_the_plain_path_finds():
    rng = random.Random(3)
    chars = "敏感词赌场开户法輪功测试文本，。 ｗｅｉｘｉｎabcＸ①𠀀㑮"
    words = ["敏感词", "赌场开户", "法轮功", "weixin", "词", "x1", "𠀀测", "㑮试"]
    matcher = Matcher([Entry(normalize(w), "c", "hold") for w in words])
    for _ in range(300):
        text = "".join(rng.choices(chars, k=rng.randint(0, 60)))
        plain = sum(1 for _ in matcher.scan_normalised(normalize(text)))
        assert matcher.count(text) == plain, text
        assert len(matcher.find(text)) == plain, text
