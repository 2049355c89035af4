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
