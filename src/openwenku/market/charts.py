"""A small server-rendered SVG chart: coins earned per day (bars) with
downloads and views per day (lines). No JavaScript, no library."""

from __future__ import annotations

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import DayPoint

WIDTH, HEIGHT = 760, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 16, 28


def _nice_max(value: int) -> int:
    if value <= 5:
        return 5
    step = 10 ** (len(str(value)) - 1)
    return ((value + step - 1) // step) * step


def earnings_chart(points: list[DayPoint]) -> SafeString:
    n = max(1, len(points))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    coin_max = _nice_max(max((p.coins for p in points), default=0))
    count_max = _nice_max(max((max(p.downloads, p.views) for p in points), default=0))
    slot = plot_w / n
    bar_w = max(2.0, slot * 0.6)

    def y(value: float, top: int) -> float:
        return TOP + plot_h - (max(value, 0) / top) * plot_h

    bars = format_html_join(
        "",
        '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {} {}</title></rect>',
        (
            (
                f"{LEFT + i * slot + (slot - bar_w) / 2:.1f}",
                f"{y(p.coins, coin_max):.1f}",
                f"{bar_w:.1f}",
                f"{TOP + plot_h - y(p.coins, coin_max):.1f}",
                p.day.isoformat(),
                p.coins,
                _("coins"),
            )
            for i, p in enumerate(points)
        ),
    )

    def line(attr: str, css: str) -> SafeString:
        coords = " ".join(
            f"{LEFT + i * slot + slot / 2:.1f},{y(getattr(p, attr), count_max):.1f}"
            for i, p in enumerate(points)
        )
        return format_html('<polyline class="{}" points="{}" fill="none"/>', css, coords)

    ticks = []
    for frac in (0, 0.5, 1):
        ty = TOP + plot_h - frac * plot_h
        ticks.append(
            format_html(
                '<line class="grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="axis" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="axis" x="{}" y="{}">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{ty:.1f}",
                f"{ty:.1f}",
                LEFT - 4,
                f"{ty + 4:.1f}",
                int(coin_max * frac),
                WIDTH - RIGHT + 4,
                f"{ty + 4:.1f}",
                int(count_max * frac),
            )
        )
    labels = []
    every = max(1, n // 6)
    for i, p in enumerate(points):
        if i % every == 0 or i == n - 1:
            labels.append(
                format_html(
                    '<text class="axis" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{LEFT + i * slot + slot / 2:.1f}",
                    HEIGHT - 8,
                    p.day.strftime("%m-%d"),
                )
            )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'xmlns="http://www.w3.org/2000/svg">{}{}{}{}{}</svg>',
        WIDTH,
        HEIGHT,
        _("Coins earned, downloads and views per day"),
        mark_safe("".join(ticks)),  # noqa: S308 (built with format_html above)
        bars,
        line("views", "line-views"),
        line("downloads", "line-downloads"),
        mark_safe("".join(labels)),  # noqa: S308
    )
