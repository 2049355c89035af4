"""The page renderer's image choice, on real corpus pages (run as the worker runs it)."""

import json
import subprocess
import sys

import pytest
from PIL import Image

from tests.conftest import CORPUS


def render(pdf, outdir) -> list[dict]:
    out = subprocess.run(
        [sys.executable, "-m", "openwenku.conversion.render", str(pdf), str(outdir)],
        capture_output=True,
        check=True,
        timeout=120,
    )
    lines = [json.loads(line) for line in out.stdout.decode().splitlines()]
    assert lines[0]["pages"] == len(lines) - 1
    return lines[1:]


def test_grey_text_pages_are_four_grey_png(tmp_path):
    pages = render(CORPUS / "main" / "chatchat__1.pdf", tmp_path)
    first = pages[0]
    assert first["file"].endswith(".png") and first["width"] == 1200
    image = Image.open(tmp_path / first["file"])
    assert image.format == "PNG" and image.size == (1200, first["height"])
    colours = image.convert("RGB").getcolors()
    # Four greys: black glyphs, two anti-aliasing steps, white paper.
    assert {c for _, c in colours} <= {(0, 0, 0), (85, 85, 85), (170, 170, 170), (255, 255, 255)}
    assert len(colours) == 4
    assert "鬼股" in first["text"]
    assert (tmp_path / "cover.webp").exists()


@pytest.mark.parametrize(
    "name,mode",
    [
        ("pdfjs__annotation-highlight.pdf", "RGB"),  # a yellow highlight: colour kept
        ("ocrmypdf__c02-22.pdf", "L"),  # a scan: grey, lossy, never posterised
    ],
)
def test_colour_pages_and_pictures_are_lossy_webp(tmp_path, name, mode):
    first = render(CORPUS / "main" / name, tmp_path)[0]
    assert first["file"].endswith(".webp")
    image = Image.open(tmp_path / first["file"])
    assert image.format == "WEBP" and image.width == 1200
    if mode == "L":
        assert first["image_coverage"] > 0.9
        # Lossy grey: many shades, not a handful of posterised levels.
        assert len(image.convert("L").getcolors(256)) > 16
    else:
        from PIL import ImageChops

        r, _, b = image.convert("RGB").split()
        assert ImageChops.difference(r, b).getextrema()[1] > 60
