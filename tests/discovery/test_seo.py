"""SEO (issue 18): sitemaps, robots.txt, JSON-LD and OpenGraph, title templates,
301 for other addresses of a document and 410 for deleted ones -- through the real
views, and nothing beyond the free preview in any of them."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from openwenku.core.models import SiteConfiguration
from openwenku.discovery import sitemaps
from openwenku.documents.models import Category, Document, DocumentPage

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SECRET = "第二页的付费秘密内容"


@pytest.fixture
def make_doc(member):
    counter = {"n": 0}

    def make(title, pages, *, status=Document.Status.READY, price=0, preview_pages=None, **kw):
        counter["n"] += 1
        document = Document.objects.create(
            owner=member,
            title=title,
            original_name=f"{title}.pdf",
            size=1000 + counter["n"],
            sha256=f"{counter['n']:064x}",
            format="pdf",
            status=status,
            page_count=len(pages),
            pages_ready=len(pages),
            price=price,
            preview_pages=preview_pages,
            **kw,
        )
        for number, text in enumerate(pages, start=1):
            DocumentPage.objects.create(
                document=document, number=number, text=text, width=100, height=140
            )
        return document

    return make


@pytest.fixture
def leaf(categories):
    return Category.objects.filter(parent__isnull=False).select_related("parent").first()


def _xml(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def _assert_urlset(root) -> list[tuple[str, str]]:
    """The sitemap schema's structure: urlset > url > loc (absolute, ≤ 2048
    characters) and an optional W3C-datetime lastmod; nothing else."""
    assert root.tag == f"{NS}urlset"
    urls = []
    for url in root:
        assert url.tag == f"{NS}url"
        children = {c.tag: (c.text or "") for c in url}
        assert set(children) <= {f"{NS}loc", f"{NS}lastmod", f"{NS}changefreq", f"{NS}priority"}
        loc = children[f"{NS}loc"]
        assert loc.startswith("http://testserver/") and len(loc) <= 2048
        lastmod = children.get(f"{NS}lastmod", "")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z))?", lastmod)
        urls.append((loc, lastmod))
    return urls


def _index_locations(client) -> list[str]:
    root = _xml(client.get("/sitemap.xml"))
    assert root.tag == f"{NS}sitemapindex"
    locations = []
    for sitemap in root:
        assert sitemap.tag == f"{NS}sitemap"
        assert {c.tag for c in sitemap} <= {f"{NS}loc", f"{NS}lastmod"}
        locations.append(sitemap.find(f"{NS}loc").text)
    return locations


def _all_urls(client) -> list[str]:
    urls = []
    for location in _index_locations(client):
        assert location.startswith("http://testserver/sitemap-")
        urls += [loc for loc, _ in _assert_urlset(_xml(client.get(location)))]
    return urls


def test_sitemaps_list_public_documents_and_categories_only(client, make_doc, leaf):
    public = [make_doc(f"公开文档{i}", ["正文"], category=leaf) for i in range(3)]
    hidden = [
        make_doc("待审核", ["正文"], status=Document.Status.HELD, category=leaf),
        make_doc("已下架", ["正文"], status=Document.Status.UNPUBLISHED),
        make_doc("已驳回", ["正文"], status=Document.Status.REJECTED),
        make_doc("转换中", ["正文"], status=Document.Status.CONVERTING),
    ]
    urls = _all_urls(client)
    for d in public:
        assert f"http://testserver/doc/{d.pk}.html" in urls
    for d in hidden:
        assert f"http://testserver/doc/{d.pk}.html" not in urls
    assert f"http://testserver{leaf.get_absolute_url()}" in urls
    # A category with no public document is not listed.
    empty = Category.objects.exclude(pk=leaf.pk).filter(parent__isnull=False).first()
    assert f"http://testserver{empty.get_absolute_url()}" not in urls


def test_sitemaps_split_at_the_limit_and_use_the_site_address(
    client, make_doc, monkeypatch, settings, django_assert_max_num_queries
):
    monkeypatch.setattr(sitemaps, "LIMIT", 2)
    docs = [make_doc(f"文档{i}", ["正文"]) for i in range(5)]
    locations = _index_locations(client)
    assert [loc for loc in locations if "documents" in loc] == [
        "http://testserver/sitemap-documents.xml",
        "http://testserver/sitemap-documents.xml?p=2",
        "http://testserver/sitemap-documents.xml?p=3",
    ]
    pages = [_assert_urlset(_xml(client.get(f"/sitemap-documents.xml?p={p}"))) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [loc for p in pages for loc, _ in p] == [
        f"http://testserver/doc/{d.pk}.html" for d in docs
    ]
    # No query per document (a page of 2 here, of 50,000 in production).
    with django_assert_max_num_queries(4):
        client.get("/sitemap-documents.xml?p=2")
    # The configured address, whatever Host the request came with.
    settings.SITE_URL = "https://wenku.example.cn"
    settings.ALLOWED_HOSTS = ["*"]
    body = client.get("/sitemap.xml", HTTP_HOST="evil.example").content.decode()
    assert "https://wenku.example.cn/sitemap-documents.xml" in body and "evil" not in body
    body = client.get("/sitemap-documents.xml", HTTP_HOST="evil.example").content.decode()
    assert f"https://wenku.example.cn/doc/{docs[0].pk}.html" in body and "evil" not in body


def test_robots_txt_points_to_the_sitemap_index(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/admin/", "/api/", "/my/", "/manage/", "/doc/*/page/"):
        assert f"Disallow: {path}" in lines


def _json_ld(body: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def _meta(body: str, prop: str) -> str | None:
    m = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)">', body)
    return html.unescape(m.group(1)) if m else None


def test_json_ld_and_opengraph_name_the_document(client, make_doc, leaf, member):
    doc = make_doc("核电厂安全评价导则", ["第一页：总则。", "第二页：评价方法。"], category=leaf)
    body = client.get(f"/doc/{doc.pk}.html").content.decode()
    main, crumbs = _json_ld(body)
    assert main["@type"] == "DigitalDocument" and main["name"] == doc.title
    assert main["url"] == f"http://testserver/doc/{doc.pk}.html"
    assert main["numberOfPages"] == 2 and main["encodingFormat"] == "application/pdf"
    assert main["dateCreated"].startswith(str(doc.created_at.year))
    assert main["author"]["name"] == member.masked_name != member.display_name
    assert crumbs["@type"] == "BreadcrumbList"
    items = crumbs["itemListElement"]
    assert [i["name"] for i in items] == [leaf.parent.name, leaf.name, doc.title]
    assert [i["position"] for i in items] == [1, 2, 3]
    assert items[1]["item"] == f"http://testserver{leaf.get_absolute_url()}"
    title = html.unescape(re.search(r"<title>(.*?)</title>", body, re.S).group(1))
    assert title.startswith(doc.title) and _meta(body, "og:title") == title
    assert _meta(body, "og:url") == f"http://testserver/doc/{doc.pk}.html"
    assert _meta(body, "og:type") == "article"
    assert "第一页" in _meta(body, "og:description")


def test_priced_document_shows_only_free_preview_text_even_to_its_buyer(
    client, make_doc, member_client
):
    doc = make_doc("付费文档", ["第一页的公开内容。", SECRET], price=5, preview_pages=1)
    for c in (client, member_client):  # a stranger, and the uploader (who sees it all)
        body = c.get(f"/doc/{doc.pk}.html").content.decode()
        head = body.split("</head>")[0]
        assert "第一页的公开内容" in _meta(head, "og:description")
        assert SECRET not in head
        assert SECRET not in json.dumps(_json_ld(head), ensure_ascii=False)
        assert _json_ld(head)[0]["isAccessibleForFree"] is False
        assert _meta(head, "og:image") is None  # no cover here


def test_json_ld_cannot_be_closed_by_a_title(client, make_doc):
    doc = make_doc('</script><script>alert(1)</script>&"', ["正文"])
    response = client.get(f"/doc/{doc.pk}.html")
    body = response.content.decode()
    assert "<script>alert(1)" not in body
    assert _json_ld(body)[0]["name"] == doc.title
    # The CSP runs no inline script; a data block is not one.
    assert "script-src 'self'" in response["Content-Security-Policy"].replace('"', "'")


def test_operator_title_and_description_templates(client, make_doc, leaf):
    SiteConfiguration.objects.create(
        site_name="某某文库",
        document_title_template="{title}（{category}，{pages}页 {format}）_{site_name}",
        document_description_template="{title}：{description}",
    )
    doc = make_doc("年度总结", ["今年的工作。"], category=leaf)
    body = client.get(f"/doc/{doc.pk}.html").content.decode()
    title = html.unescape(re.search(r"<title>(.*?)</title>", body, re.S).group(1))
    assert title == f"年度总结（{leaf.name}，1页 PDF）_某某文库"
    assert _meta(body, "og:title") == title
    assert _meta(body, "description") == "年度总结：今年的工作。"


def test_default_title_and_description(client, make_doc):
    doc = make_doc("年度总结", ["今年的工作。"])
    body = client.get(f"/doc/{doc.pk}.html").content.decode()
    site = SiteConfiguration.current()["site_name"]
    assert re.search(r"<title>(.*?)</title>", body, re.S).group(1) == f"年度总结 - {site}"
    assert _meta(body, "description") == "今年的工作。"


def test_other_addresses_redirect_permanently_to_the_canonical_one(client, make_doc):
    doc = make_doc("文档", ["正文"])
    for path in (f"/doc/{doc.pk}", f"/doc/{doc.pk}/", f"/doc/{doc.pk}.htm", f"/d/{doc.pk}.html"):
        response = client.get(path)
        assert response.status_code == 301, path
        assert response["Location"] == f"/doc/{doc.pk}.html"


def test_deleted_public_document_answers_410_and_others_404(client, make_doc):
    public = make_doc("公开", ["正文"])
    draft = make_doc("草稿", ["正文"], status=Document.Status.UNPUBLISHED)
    public_id, draft_id = public.pk, draft.pk
    public.delete()
    draft.delete()
    response = client.get(f"/doc/{public_id}.html")
    assert response.status_code == 410
    assert "noindex" in response.content.decode()
    # A draft's number is not revealed; a number never used is a plain 404.
    assert client.get(f"/doc/{draft_id}.html").status_code == 404
    assert client.get("/doc/987654.html").status_code == 404
    assert f"/doc/{public_id}.html" not in "".join(_all_urls(client))
