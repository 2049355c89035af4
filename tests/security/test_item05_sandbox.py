"""Issue 11 item 5: what a converter child parsing an upload can see and do.

Real children through the very runner the pipeline uses (sandbox.py, child.py),
real LibreOffice through the real pipeline, a real CLI for the start-up check.
"""

import contextlib
import http.server
import io
import json
import os
import random
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

import openwenku
from openwenku.conversion import lo_pool, pipeline, sandbox
from openwenku.conversion.child import Child, python_env, python_ro_paths
from openwenku.documents import services
from openwenku.documents.failures import failure_message
from openwenku.documents.models import Document

pytestmark = pytest.mark.skipif(
    not sandbox.bubblewrap_available(), reason="bubblewrap cannot run here"
)

SECRETS = {
    "OPENWENKU_SECRET_KEY": "fake-secret-key-3f9a",
    "SECRET_KEY": "fake-django-key-77c1",
    "DATABASE_URL": "postgres://owner:hunter2@127.0.0.1:5432/prod",
    "EMAIL_HOST_PASSWORD": "mail-password-55",
    "OPENWENKU_EMAIL_URL": "smtp://user:mail-password-55@mail.example.org:587",
}

PROBE = r"""
import json, os, socket, sys
paths, port = json.loads(sys.argv[1]), int(sys.argv[2])
readable = {}
for path in paths:
    try:
        with open(path, "rb") as fh:
            readable[path] = fh.read(64).decode("utf-8", "replace")
    except OSError as exc:
        readable[path] = None
listing = {}
for folder in ("/", "/work", "/root", "/home", "/etc"):
    try:
        listing[folder] = sorted(os.listdir(folder))
    except OSError:
        listing[folder] = None
try:
    socket.create_connection(("127.0.0.1", port), timeout=3).close()
    net = "connected"
except OSError as exc:
    net = type(exc).__name__
print(json.dumps({"env": dict(os.environ), "read": readable, "ls": listing, "net": net}))
"""


@pytest.fixture
def listener():
    """A TCP server on 127.0.0.1 that records every connection."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    hits: list[object] = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            with contextlib.suppress(OSError):
                hits.append(server.accept())

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], hits
    stop.set()
    thread.join()
    server.close()


def _host_files(tmp_path: Path) -> dict[str, str]:
    """Files a hostile document would like to read, with what they hold."""
    data = Path(settings.DATA_DIR)
    other_upload = data / "files" / "originals" / "other.docx"
    other_job = data / "scratch" / "doc1-other" / "original"
    key_file = data / "secret_key"
    for path, text in [
        (other_upload, "another member's upload"),
        (other_job, "another job's file"),
        (key_file, "the site's secret key"),
    ]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    project = Path(openwenku.__file__).resolve().parents[2]
    files = {str(p): p.read_text()[:20] for p in (other_upload, other_job, key_file)}
    for name in ("pyproject.toml", "README.md"):
        if (project / name).exists():
            files[str(project / name)] = (project / name).read_text()[:20]
    files["/etc/shadow"] = "root:"
    files["/etc/passwd"] = "root:"
    return files


def _check_probe(report: dict, files: dict[str, str]) -> None:
    env = report["env"]
    for name, value in SECRETS.items():
        assert name not in env
        assert all(value not in v for v in env.values()), name
    assert not [k for k in env if "SECRET" in k or "PASSWORD" in k or "DATABASE" in k]
    assert not [k for k in env if k.startswith("OPENWENKU_")]
    for path, content in files.items():
        assert report["read"][path] is None, f"{path} readable: {report['read'][path]!r}"
    # Folders show only what leads to the interpreter and our code (bound read-only).
    visible = {part for path in python_ro_paths() for part in Path(path).parts}
    for folder in ("/root", "/home", "/work"):
        assert set(report["ls"][folder] or ()) <= visible, report["ls"][folder]
    assert "shadow" not in (report["ls"]["/etc"] or ())
    assert report["net"] != "connected"


def test_children_see_no_secrets_no_other_files_and_no_network(tmp_path, monkeypatch, listener):
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    port, hits = listener
    files = _host_files(tmp_path)
    job = Path(settings.DATA_DIR) / "scratch" / "doc2-this"
    job.mkdir(parents=True)
    args = [json.dumps(list(files)), str(port)]

    # As the page renderer and OCR run: our interpreter, our code, read-only.
    with Child(
        [sys.executable, "-c", PROBE, *args],
        workdir=job,
        env=python_env(),
        isolated=sandbox.bubblewrap_available(settings.OPENWENKU["SANDBOX"]),
        ro_paths=python_ro_paths(),
    ) as child:
        _check_probe(child.read(30), files)

    # As LibreOffice runs (office.py, lo_pool.py): the system's python3, the job at /job.
    done = sandbox.run(
        ["/usr/bin/python3", "-c", PROBE, *args],
        timeout=30,
        workdir=job,
        sandbox=sandbox.bubblewrap_available(settings.OPENWENKU["SANDBOX"]),
        env={"FONTCONFIG_FILE": "/job/fonts.conf"},
        mount_at=sandbox.JOB_DIR,
    )
    report = json.loads(done.stdout)
    _check_probe(report, files)
    assert report["env"]["HOME"] == sandbox.JOB_DIR  # not the data folder's path
    assert hits == []


# -- documents that link to a server --------------------------------------------------

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="png" ContentType="image/png"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"


def _picture(rel_id: str, attr: str) -> str:
    size = 'cx="2743200" cy="2743200"'
    return (
        "<w:p><w:r><w:drawing><wp:inline>"
        f'<wp:extent {size}/><wp:docPr id="1" name="Picture 1"/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        '<pic:nvPicPr><pic:cNvPr id="1" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip {attr}="{rel_id}"/><a:stretch><a:fillRect/></a:stretch>'
        '</pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext {size}/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
    )


def _docx(body: str, relationships: str = "") -> bytes:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
        f"<w:body><w:p><w:r><w:t>A test document.</w:t></w:r></w:p>{body}</w:body></w:document>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}'
        "</Relationships>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _ROOT_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/_rels/document.xml.rels", rels)
    return buf.getvalue()


def _linked_docx(url: str) -> bytes:
    rel = f'<Relationship Id="rId7" Type="{_IMAGE}" Target="{url}" TargetMode="External"/>'
    return _docx(_picture("rId7", "r:link"), rel)


def _linked_odt(url: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.2">'
        "<office:body><office:text><text:p>A linked picture: "
        '<draw:frame draw:name="p1" text:anchor-type="as-char" svg:width="5cm" '
        f'svg:height="5cm"><draw:image xlink:href="{url}" xlink:type="simple" '
        'xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>'
        "</office:text></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buf.getvalue()


@pytest.fixture
def http_server():
    """A local web server counting the requests it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def _convert(member, tmp_path: Path, name: str, data: bytes) -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    document = services.document_create(owner=member, incoming=services.incoming_from_path(path))
    pipeline.convert(document.pk)
    return Document.objects.get(pk=document.pk)


@pytest.mark.slow
@pytest.mark.django_db
def test_documents_linking_to_a_local_server_never_reach_it(member, tmp_path, http_server):
    base, requests = http_server
    docx = _convert(member, tmp_path, "linked.docx", _linked_docx(f"{base}/x.png"))
    odt = _convert(member, tmp_path, "linked.odt", _linked_odt(f"{base}/y.png"))
    assert docx.status == Document.Status.READY, docx.failure_reason
    assert odt.status == Document.Status.READY, odt.failure_reason
    assert requests == []


# -- a decompression bomb ----------------------------------------------------------------


def _bomb_docx() -> bytes:
    """3 KB of DOCX that LibreOffice turns into 6000 pages, a PDF of ~2.3 MB (ratio ~850)."""
    page = '<w:p><w:r><w:t>Page</w:t></w:r><w:r><w:br w:type="page"/></w:r></w:p>'
    return _docx(page * 6000)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("mode", ["warm", "cold"])
def test_a_bomb_past_the_scratch_bound_fails_clearly_and_the_worker_goes_on(
    mode, member, tmp_path, settings, request
):
    settings.OPENWENKU = {**settings.OPENWENKU, "CONVERT_SCRATCH_MB": 2, "LO_MODE": mode}
    lo_pool.shutdown()  # a warm instance takes its bound when it starts
    request.addfinalizer(lo_pool.shutdown)
    bomb = _convert(member, tmp_path, "bomb.docx", _bomb_docx())
    assert bomb.status == Document.Status.FAILED
    assert bomb.failure_code == "output_too_large", bomb.failure_reason
    assert "limit of 2 MB" in bomb.failure_reason
    with translation.override("zh-hans"):
        assert "超过本站 2 MB 的上限" in failure_message(bomb)
    # This worker process converts the next file as usual.
    normal = _convert(member, tmp_path, "normal.docx", _docx(""))
    assert normal.status == Document.Status.READY, normal.failure_reason
    assert normal.page_count == 1


@pytest.mark.slow
@pytest.mark.django_db
def test_a_page_image_past_the_scratch_bound_fails_clearly(member, tmp_path, settings):
    """The page renderer (PDFium, Pillow) is bounded too: a noise scan drawn 4000 px wide."""
    from PIL import Image

    settings.OPENWENKU = {**settings.OPENWENKU, "CONVERT_SCRATCH_MB": 1, "PAGE_WIDTH": 4000}
    noise = Image.frombytes("RGB", (1200, 1600), random.Random(3).randbytes(1200 * 1600 * 3))
    noise.save(tmp_path / "scan.pdf", quality=95)
    document = services.document_create(
        owner=member, incoming=services.incoming_from_path(tmp_path / "scan.pdf")
    )
    pipeline.convert(document.pk)
    document = Document.objects.get(pk=document.pk)
    assert document.status == Document.Status.FAILED
    assert document.failure_code == "output_too_large", document.failure_reason


# -- start-up checks ---------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    data = tmp_path / "cli-data"
    data.mkdir(exist_ok=True)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENWENKU_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "openwenku", *args],
        env={**clean, "OPENWENKU_DATA_DIR": str(data), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "command", [["worker", "--concurrency", "1"], ["serve", "--bind", "127.0.0.1:0"]]
)
def test_worker_and_serve_refuse_to_start_without_bubblewrap(tmp_path, command):
    no_bwrap = tmp_path / "bin"  # a PATH without bwrap
    no_bwrap.mkdir()
    done = _cli(tmp_path, *command, PATH=str(no_bwrap))
    assert done.returncode != 0
    assert "bubblewrap" in done.stderr, done.stderr[-2000:]
    assert "OPENWENKU_SANDBOX=off" in done.stderr
    assert "listening" not in done.stdout  # refused before serving anything
