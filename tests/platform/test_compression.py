"""Issue 14: HTML and JSON are sent gzip-compressed to clients that accept it, and
static files come pre-compressed (WhiteNoise); page images and downloads are not
compressed again."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.test import Client

from tests.search.conftest import make_doc  # noqa: F401  (a fixture)

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.django_db
def test_html_is_gzip_encoded(client, make_doc):  # noqa: F811  (a fixture)
    make_doc("高等数学期末复习", ["极限与连续"] * 3)
    response = client.get("/", **GZIP)
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "高等数学期末复习" in html
    assert len(response.content) < len(html.encode())

    plain = client.get("/")
    assert not plain.has_header("Content-Encoding")
    assert "高等数学期末复习" in plain.content.decode()


@pytest.mark.django_db
def test_json_is_gzip_encoded(client, make_doc):  # noqa: F811  (a fixture)
    make_doc("高等数学期末复习", ["极限与连续"])
    for url in ("/api/openapi.json", "/api/search?q=高等数学"):
        response = client.get(url, **GZIP)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "gzip", url
        assert json.loads(gzip.decompress(response.content)), url


def test_images_and_downloads_are_not_compressed_again(rf):
    """Already-compressed formats keep their bytes, length and ranges."""
    from django.http import FileResponse, HttpResponse

    from openwenku.core.compression import TextGZipMiddleware

    body = b"RIFF....WEBPVP8 " + b"x" * 4000
    for response in (
        HttpResponse(body, content_type="image/webp"),
        FileResponse(iter([body]), content_type="application/pdf"),
    ):
        answer = TextGZipMiddleware(lambda request, r=response: r)(rf.get("/", **GZIP))
        assert not answer.has_header("Content-Encoding")
    html = TextGZipMiddleware(lambda request: HttpResponse(body))(rf.get("/", **GZIP))
    assert html["Content-Encoding"] == "gzip"


def test_static_files_are_served_precompressed(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    css = manifest["paths"]["openwenku/site.css"]
    assert (tmp_path / "static" / f"{css}.gz").exists()

    client = Client()  # a new handler: WhiteNoise reads the collected files
    response = client.get(f"/static/{css}", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert b":root" in gzip.decompress(body)
