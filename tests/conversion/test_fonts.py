"""Documents written with common Chinese and Office fonts keep their look:
each font name is drawn with an installed same-style or metric-compatible font."""

import re

import pytest

from openwenku.conversion import office
from openwenku.conversion.fonts import fontconfig_xml

RTF = r"""{\rtf1\ansi\ansicpg936\deff0
{\fonttbl{\f0\fnil\fcharset134 SimSun;}{\f1\fnil\fcharset134 SimHei;}{\f2\fnil\fcharset134 KaiTi;}
{\f3\fswiss Calibri;}{\f4\froman Cambria;}{\f5\fswiss Arial;}{\f6\froman Times New Roman;}}
\fs24{\loch\f0\hich\f0\dbch\f0 \u23435?\u20307?}\par
{\loch\f1\hich\f1\dbch\f1 \u40657?\u20307?}\par
{\loch\f2\hich\f2\dbch\f2 \u26999?\u20307?}\par
\f3 Calibri text\par
\f4 Cambria text\par
\f5 Arial text\par
\f6 Times text\par
}"""

EXPECTED = [
    "NotoSerifCJK",
    "NotoSansCJK",
    "AR-PL-UKai|ARPLUKai|UKai",
    "Carlito",
    "Caladea",
    "LiberationSans",
    "LiberationSerif",
]


def test_fontconfig_file_maps_chinese_and_office_names():
    xml = fontconfig_xml()
    for name in ("宋体", "SimSun", "微软雅黑", "楷体", "仿宋", "Calibri", "Cambria"):
        assert f"<string>{name}</string>" in xml
    assert "/etc/fonts/fonts.conf" in xml


@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_named_fonts_are_drawn_with_their_substitutes(tmp_path, settings, mode):
    settings.OPENWENKU = {**settings.OPENWENKU, "LO_MODE": mode}
    source = tmp_path / "fonts.rtf"
    source.write_text(RTF, encoding="ascii")
    pdf = office.to_pdf(source, fmt="rtf", scratch=tmp_path / "office")
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", pdf.read_bytes()))
    names = b" ".join(fonts).decode()
    for expected in EXPECTED:
        assert re.search(expected, names), f"{expected} not among {names}"
