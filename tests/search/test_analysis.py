"""Normalisation and segmentation: what the index and queries are made of."""

from openwenku.search import analysis
from openwenku.search.query import parse


def test_full_width_case_and_traditional_are_normalised():
    assert analysis.normalize("ＡＢＣ１２３") == "abc123"
    assert analysis.normalize("東京 軟體") == "东京 软体"
    traditional = analysis.tokens("養顏妙術", for_index=False)
    assert traditional == analysis.tokens("养颜妙术", for_index=False)


def test_latin_and_digits_are_tokenised_sensibly():
    index = analysis.tokens("C++ 与 GB/T 7714-2015，2024年 3.14")
    for token in ("c++", "gb/t", "gb", "7714-2015", "7714", "2024年", "2024", "3.14"):
        assert token in index
    query = analysis.tokens("2024年 GB/T 7714", for_index=False)
    assert query == ["2024年", "gb/t", "7714"]


def test_query_words_are_precise_and_index_words_include_parts():
    assert analysis.tokens("东京都", for_index=False) == ["东京都"]
    index = analysis.tokens("东京和京都")
    assert "东京都" not in index  # so 东京都 does not match 东京和京都
    assert {"东", "京", "都"} <= set(index)  # one-character queries find characters in words


def test_query_syntax():
    parsed = parse('"核电厂 定期" -审查 东京 OR 京都')
    assert parsed.phrases == ["核电厂定期"]
    assert parsed.excluded == [("审查",)]
    assert [len(g) for g in parsed.groups] == [1, 2]
    for hostile in ['"', "-", "*", ":", "OR", "()", "\x00", "😀", "x" * 10000, "NEAR(a b)"]:
        parse(hostile)  # never raises


def _reference_normalize(text: str) -> str:
    """normalize() as first written: NFKC of the whole text, then case folding."""
    import re
    import unicodedata

    if not text:
        return ""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", " ", text.replace("\x00", " "))
    text = unicodedata.normalize("NFKC", text).casefold()
    if re.search(f"[{analysis._HAN}]", text):
        text = analysis._converter().convert(text)
    return text


def _reference_normalize_aligned(text: str) -> str:
    import re
    import unicodedata

    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    if len(folded) != len(text):
        out = []
        for ch in text:
            n = unicodedata.normalize("NFKC", ch).casefold()
            out.append(n if len(n) == 1 else ch.lower())
        folded = "".join(out)
    if re.search(f"[{analysis._HAN}]", folded):
        simplified = analysis._converter().convert(folded)
        if len(simplified) == len(folded):
            folded = simplified
    return folded


def test_fast_normalisation_equals_nfkc_of_the_whole_text():
    import random

    samples = [
        "教育高质量发展，是推动经济社会发展的重要力量。",
        "ＡＢＣ，１２３……“引号”（括号）",
        "e\u0301 cafe\u0301 CAFÉ Straße İstanbul ﬁle ﬃ ẞ",
        "①②③ ㎡ ㎏ ㈱ ｶﾞ ｶﾟ が か\u3099 ﾊﾟ",
        "\u1100\u1161\u11a8 각 \u0b47\u0b3e \u0345\u0399",
        "中\u0301文 a中\u0300b 豈 ⼀ 𠀀 丽",
        "\x00控制\x07字符\x1f",
        "ASCII only, Mixed Case.",
        "東京 軟體 養顏妙術",
    ]
    pool = [chr(c) for c in range(0x20, 0x250)]
    pool += [chr(c) for c in range(0x300, 0x370)] + [chr(c) for c in range(0xFF00, 0xFF70)]
    pool += [chr(c) for c in range(0x3040, 0x3100)] + [chr(c) for c in range(0x3300, 0x3320)]
    pool += [chr(c) for c in range(0x1100, 0x1120)] + [chr(c) for c in range(0xAC00, 0xAC10)]
    pool += list("中文東京核電廠…ﬁẞİ\u3099\u309a\u2026\u3000")
    rng = random.Random(7)
    samples += ["".join(rng.choice(pool) for _ in range(rng.randint(1, 10))) for _ in range(3000)]
    for text in samples:
        assert analysis.normalize(text) == _reference_normalize(text), repr(text)
        assert analysis.normalize_aligned(text) == _reference_normalize_aligned(text), repr(text)
        assert len(analysis.normalize_aligned(text)) == len(text) or any(
            len(ch.lower()) > 1 for ch in text
        )
