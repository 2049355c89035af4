"""Every message a person sees is translated.

Three checks:

* Statically, no Python string literal in ``src/openwenku`` holds Chinese unless it
  is data on the small, explained allow-list below: messages have English msgids
  and their Chinese lives in the catalogue.
* The main pages, forms and refusals rendered in English show no Chinese character
  outside document content (titles, descriptions, page text, category names, member
  names: all made up of known strings here and stripped before the check).
* The same pages rendered in Simplified Chinese show no English message: after the
  content and a few format and brand names are stripped, no Latin word is left.

The language is chosen as a browser chooses it (``Accept-Language``); the
language cookie that the switcher sets is checked once as well.
"""

from __future__ import annotations

import ast
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import translation
from PIL import Image

import openwenku
from openwenku.documents import signals
from openwenku.documents.models import Document, DocumentPage

SRC = Path(openwenku.__file__).parent
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
CJK = re.compile(
    r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003134f]"
)

# --- 1. No Chinese message hard-coded in Python ------------------------------------------

# Chinese that is data, not a message, by (module, the module-level name it is assigned
# to; "*" for a whole data module). Everything else with a Han character in a string
# literal (docstrings aside) is a message that belongs in the catalogue.
DATA_ALLOW_LIST: dict[tuple[str, str], str] = {
    ("conversion/fonts.py", "*"): "font family names that documents ask for (宋体 …)",
    ("discovery/defaults.py", "*"): "the seed category tree: content an operator edits",
    ("documents/defaults.py", "*"): "the seed category tree, once it moves to documents",
    ("documents/sniff.py", "_COMMON_HANZI"): "frequent characters that tell text from binary",
    ("search/analysis.py", "_UNITS"): "unit characters that join a number into one token",
    ("web/warmup.py", "WARM_UP_QUERY"): "a Chinese query that loads the segmenter at start-up",
    ("integrity/checks/contact.py", "*"): "how contact details are written (微信, 扣扣, 点com …)",
}


# A regex character range (``一-鿿``) or a lone character compared against is a code
# point, not a message.
_RANGES = re.compile(r"[^\x00-\x7f]-[^\x00-\x7f]")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _assigned_name(statement: ast.stmt) -> str:
    targets = (
        statement.targets
        if isinstance(statement, ast.Assign)
        else [statement.target]
        if isinstance(statement, ast.AnnAssign)
        else []
    )
    names = [t.id for t in targets if isinstance(t, ast.Name)]
    return names[0] if names else ""


def hard_coded_chinese(path: Path) -> list[str]:
    """``file:line: literal`` for each string literal with Han characters that is neither
    a docstring nor allow-listed data."""
    relative = path.relative_to(SRC).as_posix()
    if (relative, "*") in DATA_ALLOW_LIST:
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    found = []
    for statement in tree.body:
        if (relative, _assigned_name(statement)) in DATA_ALLOW_LIST:
            continue
        for node in ast.walk(statement):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
                and len(node.value) > 1
                and HAN.search(_RANGES.sub("", node.value))
            ):
                found.append(f"{relative}:{node.lineno}: {node.value[:60]!r}")
    return found


def test_no_chinese_message_is_hard_coded_in_python():
    files = [p for p in sorted(SRC.rglob("*.py")) if "migrations" not in p.parts]
    found = [line for path in files for line in hard_coded_chinese(path)]
    assert not found, "Chinese in Python; use an English msgid with gettext:\n" + "\n".join(found)


def test_allow_list_names_only_what_exists():
    """An entry that matches nothing any more is removed, so the list stays small."""
    for module, name in DATA_ALLOW_LIST:
        path = SRC / module
        if module == "documents/defaults.py" and not path.exists():
            continue  # the category tree moves with the Category model
        assert path.exists(), module
        if name != "*":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            assert name in {_assigned_name(s) for s in tree.body}, (module, name)


# --- 2 and 3. Pages, forms and refusals in both languages ---------------------------------

PASSWORD = "Zq-Passw0rd-42"
# Document content: invented Latin words, so that content is told from messages in both
# languages. A category with Chinese names (the seed tree) is content as well.
CONTENT = {
    "title_free": "Zorblax quimbly notes",
    "title_priced": "Vexnor plumbit atlas",
    "description": "Frobnitz wuggle description",
    "page_text": "Snarflewick grimble tazzle {n} yonder plimsk",
    "category": "Zorblax shelf",
    "tag": "quimbly",
    # What readers type is theirs too: a search with no match, a payout account.
    "query_none": "qwxyzzyplugh",
    "account": "Plonk Wexley",
}
CONTENT_WORDS = {w.lower() for text in CONTENT.values() for w in re.findall(r"[A-Za-z]+", text)}
# Names that stay Latin in Chinese text: formats, units, the brand, the software.
LATIN_NAMES = {
    "openwenku",
    "vip",  # 会员 tiers are called VIP on every Chinese 文库 site
    "pdf",
    "doc",
    "docx",
    "word",
    "wps",
    "works",
    "rtf",
    "txt",
    "odt",
    "ods",
    "odp",
    "opendocument",
    "ppt",
    "pptx",
    "powerpoint",
    "xls",
    "xlsx",
    "excel",
    "epub",
    "kb",
    "mb",
    "gb",
    "icp",
    "id",
    "api",
    "url",
    "e-mail",
    "email",
}


@dataclass
class Site:
    uploader: object
    member: object
    free: Document
    priced: Document
    category: object


def _webp() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 56), (200, 200, 200)).save(buf, "WEBP")
    return buf.getvalue()


def _ready_document(owner, *, title: str, price: int, category, sha: str) -> Document:
    """A ready document built as rows, then announced as publishing announces it."""
    document = Document(
        owner=owner,
        title=title,
        description=CONTENT["description"],
        original_name=f"{title}.pdf",
        size=1000,
        sha256=sha * 64,
        format="pdf",
        status=Document.Status.READY,
        page_count=3,
        pages_ready=3,
        price=price,
        preview_pages=1 if price else None,
        category=category,
    )
    document.original.save("original", ContentFile(b"%PDF-1.4 original\n"), save=False)
    document.save()
    for n in range(1, 4):
        page = DocumentPage(
            document=document, number=n, width=40, height=56, text=CONTENT["page_text"].format(n=n)
        )
        page.image.save(f"{n}.webp", ContentFile(_webp()), save=False)
        page.save()
    if not price:
        document.tags.create(name=CONTENT["tag"])
    signals.document_published.send(sender=None, document_id=document.pk)
    return document


@pytest.fixture
def site(db, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    category_model = Document._meta.get_field("category").related_model
    category = category_model.objects.create(name=CONTENT["category"], slug="zorblax")
    uploader = django_user_model.objects.create_user(
        username="lena", password=PASSWORD, email="lena@example.com"
    )
    member = django_user_model.objects.create_user(
        username="omar", password=PASSWORD, email="omar@example.com"
    )
    free = _ready_document(
        uploader, title=CONTENT["title_free"], price=0, category=category, sha="a"
    )
    priced = _ready_document(
        uploader, title=CONTENT["title_priced"], price=50, category=category, sha="b"
    )
    return Site(uploader=uploader, member=member, free=free, priced=priced, category=category)


@dataclass
class Shown:
    """What a person sees of a response: its visible texts."""

    texts: list[str]


def _client(language: str, user=None) -> Client:
    client = Client(headers={"accept-language": language})
    client.language = language
    if user is not None:
        client.force_login(user)
    return client


def _empty_file() -> SimpleUploadedFile:
    return SimpleUploadedFile("zorblax.docx", b"", content_type="application/octet-stream")


def _error_page(language: str, site: Site):
    """The page the web shows for an application error (core.middleware)."""
    from openwenku.core.errors import LoginRequired, NotFound
    from openwenku.core.middleware import error_response

    bodies = []
    for error in (NotFound(), LoginRequired()):
        request = RequestFactory().get("/doc/1.html", headers={"accept-language": language})
        request.user = AnonymousUser()
        with translation.override(language):
            bodies.append(error_response(request, error).content.decode())
    return "\n".join(bodies)


def _new_token_page(client: Client):
    client.post("/my/tokens/", {"name": CONTENT["tag"], "scopes": ["read", "money"]})
    return client.get("/my/tokens/")


def _registered(client: Client):
    """Sign up; the activation link mailed and the "check your e-mail" page."""
    from django.core import mail

    client.post(
        "/accounts/register/",
        {
            "username": f"zorblax{len(mail.outbox)}",
            "email": f"zorblax{len(mail.outbox)}@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    link = re.search(r"https?://[^/\s]+(/accounts/register/activate/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    return link[1], client.get("/accounts/register/sent/")


def _buy_key() -> str:
    return "zorblax-key-0001"


# name -> (who, what): who is None (anonymous), "uploader" or "member"; what takes the
# client and the site and returns a response.
Request = Callable[[Client, Site], object]
PAGES: dict[str, tuple[str | None, Request]] = {
    "home": (None, lambda c, s: c.get("/")),
    "category": (None, lambda c, s: c.get(f"/c/{s.category.slug}/")),
    "search results": (None, lambda c, s: c.get("/search", {"q": "snarflewick"})),
    "search, nothing found": (None, lambda c, s: c.get("/search", {"q": CONTENT["query_none"]})),
    "document, free": (None, lambda c, s: c.get(f"/doc/{s.free.pk}.html")),
    "document, paywall, anonymous": (None, lambda c, s: c.get(f"/doc/{s.priced.pk}.html")),
    "document, paywall, member": ("member", lambda c, s: c.get(f"/doc/{s.priced.pk}.html")),
    "document, managed by its uploader": (
        "uploader",
        lambda c, s: c.get(f"/doc/{s.priced.pk}.html"),
    ),
    "buy page": ("member", lambda c, s: c.get(f"/doc/{s.priced.pk}/buy")),
    "refusal: too few coins": (
        "member",
        lambda c, s: c.post(
            f"/doc/{s.priced.pk}/buy",
            {"idempotency_key": _buy_key(), "expected_price": s.priced.price},
        ),
    ),
    "upload form": ("uploader", lambda c, s: c.get("/upload/")),
    "refusal: empty upload": (
        "uploader",
        lambda c, s: c.post("/upload/", {"files": _empty_file()}),
    ),
    "edit form": ("uploader", lambda c, s: c.get(f"/doc/{s.free.pk}/edit")),
    "pricing form": ("uploader", lambda c, s: c.get(f"/doc/{s.priced.pk}/pricing")),
    "report form": ("member", lambda c, s: c.get(f"/doc/{s.free.pk}/report")),
    "my documents": ("uploader", lambda c, s: c.get("/my/documents/")),
    "message centre": ("member", lambda c, s: c.get("/notifications/")),
    "login form": (None, lambda c, s: c.get("/accounts/login/")),
    "refusal: wrong password": (
        None,
        lambda c, s: c.post("/accounts/login/", {"username": "omar", "password": "wrong-one"}),
    ),
    "register form": (None, lambda c, s: c.get("/accounts/register/")),
    "refusal: register without data": (None, lambda c, s: c.post("/accounts/register/", {})),
    "profile": ("member", lambda c, s: c.get("/accounts/profile/")),
    "password change": ("member", lambda c, s: c.get("/accounts/password/change/")),
    "password reset": (None, lambda c, s: c.get("/accounts/password/reset/")),
    "registration mailed": (None, lambda c, s: _registered(c)[1]),
    "registration link": (None, lambda c, s: c.get(_registered(c)[0])),
    "refusal: registration link used or wrong": (
        None,
        lambda c, s: c.get("/accounts/register/activate/zorblax/"),
    ),
    "wallet": ("member", lambda c, s: c.get("/my/wallet/")),
    "api tokens, one just created": ("member", lambda c, s: _new_token_page(c)),
    "refusal: api token without a scope": (
        "member",
        lambda c, s: c.post("/my/tokens/", {"name": CONTENT["tag"]}),
    ),
    "earnings": ("uploader", lambda c, s: c.get("/my/earnings/")),
    "withdraw form": ("uploader", lambda c, s: c.get("/my/withdraw/")),
    "refusal: withdraw too much": (
        "uploader",
        lambda c, s: c.post(
            "/my/withdraw/",
            {"amount": 1_000_000, "account": CONTENT["account"], "idempotency_key": _buy_key()},
        ),
    ),
    "error page": (None, lambda c, s: _error_page(c.language, s)),
    "404 page": (None, lambda c, s: c.get("/doc/999999.html")),
    "404, unknown address": (None, lambda c, s: c.get("/no/such/page/")),
    "api refusal: wrong password": (
        None,
        lambda c, s: c.post(
            "/api/auth/token",
            {"username": "omar", "password": "wrong-one"},
            content_type="application/json",
        ),
    ),
    "api refusal: empty upload": (
        "uploader",
        lambda c, s: c.post("/api/documents", {"file": _empty_file()}),
    ),
    "api refusal: too few coins": (
        "member",
        lambda c, s: c.post(
            "/api/market/purchases",
            {
                "document_id": s.priced.pk,
                "idempotency_key": _buy_key(),
                "expected_price": s.priced.price,
            },
            content_type="application/json",
        ),
    ),
    "api refusal: not found": (None, lambda c, s: c.get("/api/documents/999999")),
}


# Each refusal really is one (the rest answer 200), so its message is on the page.
STATUS = {
    "refusal: too few coins": 402,
    "refusal: empty upload": 400,
    "refusal: withdraw too much": 400,
    "refusal: registration link used or wrong": 400,
    "404 page": 404,
    "404, unknown address": 404,
    "api refusal: wrong password": 401,
    "api refusal: empty upload": 400,
    "api refusal: too few coins": 402,
    "api refusal: not found": 404,
}
# Refusals shown inside a form with status 200, and pages that must show a document.
SHOWS = {
    "refusal: wrong password": 'class="errorlist',
    "refusal: register without data": 'class="errorlist',
    "refusal: api token without a scope": 'class="errorlist',
    "search results": "/doc/{free}.html",
}


class _VisibleText(HTMLParser):
    """Text nodes and the attributes a person reads or hears, except inside an
    element marked as another language (the switcher names each language in itself)."""

    SPOKEN = ("alt", "title", "placeholder", "aria-label")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []

    def _hidden(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        lang = values.get("lang")
        foreign = bool(lang) and tag != "html" and not lang.lower().startswith(self.language[:2])
        if not foreign and not self._hidden():
            self.texts += [values[a] for a in self.SPOKEN if values.get(a)]
            if tag == "meta" and values.get("name") in ("description", "keywords"):
                self.texts.append(values.get("content") or "")
            if tag in ("input", "button") and values.get("type") in ("submit", "button"):
                self.texts.append(values.get("value") or "")
        if tag not in self.VOID:
            self.stack.append((tag, foreign or tag in ("script", "style")))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.texts.append(data)


def shown(response, language: str) -> list[str]:
    """The visible texts of a page, or the message strings of a JSON answer."""
    if isinstance(response, str):
        body, content_type = response, "text/html"
    else:
        body, content_type = response.content.decode(), response.get("Content-Type", "")
    if "json" in content_type:
        data = json.loads(body)
        found = []

        def walk(value, key=""):
            if isinstance(value, dict):
                for k, v in value.items():
                    walk(v, k)
            elif isinstance(value, list):
                for v in value:
                    walk(v, key)
            elif isinstance(value, str) and key in ("detail", "message", "msg", "errors"):
                found.append(value)

        walk(data)
        return found
    parser = _VisibleText(language)
    parser.feed(body)
    return parser.texts


def without_content(text: str, site: Site) -> str:
    """The text with document content, category names and member names taken out."""
    category_model = type(site.category)
    known = sorted(
        {c.name for c in category_model.objects.all()}
        | {u.username for u in (site.uploader, site.member)},
        key=len,
        reverse=True,
    )
    for value in known:
        text = text.replace(value, " ")
    text = _ADDRESS.sub(" ", text)
    return _LATIN.sub(lambda m: " " if m[0].lower() in CONTENT_WORDS else m[0], text)


_LATIN = re.compile(r"[A-Za-z]+")
# The operator's complaint address and links are content too.
_ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+")


def _render(name: str, language: str, site: Site):
    who, request = PAGES[name]
    user = {"uploader": site.uploader, "member": site.member}.get(who or "")
    response = request(_client(language, user), site)
    if not isinstance(response, str):
        assert response.status_code == STATUS.get(name, 200), (name, response.status_code)
        if name in SHOWS:
            assert SHOWS[name].format(free=site.free.pk) in response.content.decode(), name
    return response


@pytest.mark.parametrize("name", list(PAGES))
def test_english_pages_show_no_chinese(site, name):
    found = []
    for text in shown(_render(name, "en", site), "en"):
        left = without_content(text, site)
        if CJK.search(left):
            found.append(" ".join(left.split()))
    assert not found, f"{name}: Chinese on the English page:\n" + "\n".join(found)


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


@pytest.mark.parametrize("name", list(PAGES))
def test_chinese_pages_show_no_english(site, name):
    found = []
    for text in shown(_render(name, "zh-hans", site), "zh-hans"):
        left = without_content(text, site)
        words = [w for w in _LATIN_WORD.findall(left) if w.lower() not in LATIN_NAMES]
        if words:
            found.append(f"{' '.join(left.split())!r} ({', '.join(words)})")
    assert not found, f"{name}: English on the Chinese page:\n" + "\n".join(found)


def test_the_language_cookie_chooses_english(site):
    """The switcher stores the choice in Django's language cookie; it beats the browser's."""
    client = _client("zh-hans")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    texts = shown(client.get(f"/doc/{site.priced.pk}.html"), "en")
    assert not [t for t in texts if CJK.search(without_content(t, site))]
