"""Font substitutions that keep Chinese and Office documents' look and page count.

Documents name fonts a bare Debian lacks (宋体, 微软雅黑, Calibri …). Unmapped,
fontconfig falls back to a sans-serif of other widths, and lines, pages and the
page count change. Each converter process gets a fontconfig file that includes
the system configuration and maps every common name to the closest installed
family: metric-compatible clones for the Office fonts (Carlito = Calibri,
Caladea = Cambria, Liberation = Arial/Times/Courier), same-style CJK families
for the Chinese ones (Song/Ming → Noto Serif CJK, Hei/YaHei → Noto Sans CJK,
Kai → AR PL UKai). No root needed: FONTCONFIG_FILE points at it.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

SERIF_CJK = ["Noto Serif CJK SC", "AR PL UMing CN"]
SANS_CJK = ["Noto Sans CJK SC", "WenQuanYi Zen Hei"]
KAI_CJK = ["AR PL UKai CN", "Noto Serif CJK SC"]

SUBSTITUTES: dict[str, list[str]] = {}
for names, target in [
    (
        [
            "宋体",
            "SimSun",
            "新宋体",
            "NSimSun",
            "SimSun-ExtB",
            "宋体-方正超大字符集",
            "华文宋体",
            "STSong",
            "华文中宋",
            "STZhongsong",
            "方正书宋_GBK",
            "方正书宋简体",
            "Songti SC",
            "仿宋",
            "FangSong",
            "仿宋_GB2312",
            "FangSong_GB2312",
            "华文仿宋",
            "STFangsong",
            "方正仿宋_GBK",
            "方正小标宋简体",
            "方正小标宋_GBK",
            "MingLiU",
            "PMingLiU",
            "新細明體",
            "細明體",
        ],
        SERIF_CJK,
    ),
    (
        [
            "黑体",
            "SimHei",
            "微软雅黑",
            "Microsoft YaHei",
            "Microsoft YaHei UI",
            "微软雅黑 Light",
            "等线",
            "DengXian",
            "等线 Light",
            "华文黑体",
            "STHeiti",
            "华文细黑",
            "STXihei",
            "PingFang SC",
            "苹方",
            "思源黑体",
            "Source Han Sans SC",
            "方正黑体_GBK",
            "方正黑体简体",
            "Microsoft JhengHei",
            "微軟正黑體",
            "幼圆",
            "YouYuan",
            "隶书",
            "LiSu",
            "Hiragino Sans GB",
        ],
        SANS_CJK,
    ),
    (
        [
            "楷体",
            "KaiTi",
            "楷体_GB2312",
            "KaiTi_GB2312",
            "华文楷体",
            "STKaiti",
            "方正楷体_GBK",
            "方正楷体简体",
            "标楷体",
            "DFKai-SB",
        ],
        KAI_CJK,
    ),
    (["Calibri", "Calibri Light", "Segoe UI", "Candara"], ["Carlito", "Liberation Sans"]),
    (["Cambria", "Cambria Math"], ["Caladea", "Liberation Serif"]),
    (
        ["Arial", "Helvetica", "Arial Unicode MS", "Tahoma", "Verdana"],
        ["Liberation Sans", "DejaVu Sans"],
    ),
    (
        ["Times New Roman", "Times", "Georgia", "Book Antiqua", "Garamond"],
        ["Liberation Serif", "DejaVu Serif"],
    ),
    (
        ["Courier New", "Courier", "Consolas", "Lucida Console"],
        ["Liberation Mono", "DejaVu Sans Mono"],
    ),
]:
    for name in names:
        SUBSTITUTES[name] = target


def fontconfig_xml() -> str:
    rules = []
    for name, targets in SUBSTITUTES.items():
        strings = "".join(f"<string>{escape(t)}</string>" for t in targets)
        rules.append(
            f'<match target="pattern"><test name="family" compare="eq" ignore-blanks="true">'
            f"<string>{escape(name)}</string></test>"
            f'<edit name="family" mode="assign" binding="strong">{strings}</edit></match>'
        )
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        '<fontconfig>\n<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        + "\n".join(rules)
        + "\n</fontconfig>\n"
    )


def font_env(directory: Path) -> dict[str, str]:
    """Write the fontconfig file into ``directory``; return the environment to use it."""
    path = directory / "fonts.conf"
    path.write_text(fontconfig_xml(), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(path)}
