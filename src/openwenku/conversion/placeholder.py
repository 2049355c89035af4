"""A stand-in image for a page that could not be rendered.

Its text is drawn in the site's default language (the worker's), with a CJK
font when fontconfig finds one.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont


@functools.cache
def _cjk_font_path() -> str | None:
    fc = shutil.which("fc-match")
    if not fc:
        return None
    try:
        out = subprocess.run(
            [fc, "-f", "%{file}", "Noto Sans CJK SC"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out or None


def placeholder_page(path: Path, number: int, width: int) -> tuple[int, int]:
    height = int(width * 1.414)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font_path = _cjk_font_path()
    font = (
        ImageFont.truetype(font_path, size=max(16, width // 30))
        if font_path
        else ImageFont.load_default()
    )
    draw.rectangle([8, 8, width - 9, height - 9], outline="#cccccc", width=2)
    draw.text(
        (width // 2, height // 2),
        _("Page %(number)d cannot be shown (this page of the original file is damaged)")
        % {"number": number},
        fill="#888888",
        font=font,
        anchor="mm",
    )
    image.save(path, "WEBP", quality=80)
    return width, height
