"""Home page, category pages, related documents, footer and masking."""

import pytest

from openwenku.core.models import SiteConfiguration
from openwenku.core.text import human_size, mask_name
from openwenku.documents.models import Category, Document


def test_mask_name_and_sizes():
    assert mask_name("王小明") == "王**"
    assert mask_name("alice") == "a**"
    assert human_size(23234) == "22.69KB"
    assert human_size(3 * 1024 * 1024) == "3.00MB"


def make_doc(owner, category, title, **extra):
    return Document.objects.create(
        owner=owner,
        category=category,
        title=title,
        original_name=title,
        size=1000,
        sha256="0" * 64,
        format="pdf",
        status=extra.pop("status", "ready"),
        page_count=1,
        pages_ready=1,
        original="originals/x",
        **extra,
    )


@pytest.mark.django_db
def test_home_lists_new_documents_and_categories(client, member, categories):
    summaries = Category.objects.get(name="工作总结")
    make_doc(member, summaries, "年度工作总结.docx")
    make_doc(member, summaries, "草稿.docx", status="converting")
    html = client.get("/").content.decode()
    assert "年度工作总结.docx" in html
    assert "草稿.docx" not in html
    for name in ("办公文档", "教育资料", "行业资料", "论文", "法律文书"):
        assert name in html


@pytest.mark.django_db
def test_category_page_breadcrumb_and_related(client, member, categories):
    summaries = Category.objects.get(name="工作总结")
    a = make_doc(member, summaries, "第一季度总结.docx")
    b = make_doc(member, summaries, "第二季度总结.docx", view_count=5)
    html = client.get(summaries.get_absolute_url()).content.decode()
    assert "办公文档" in html and "第一季度总结.docx" in html
    # The parent category lists its children's documents too.
    assert "第二季度总结.docx" in client.get("/c/office/").content.decode()
    # Related documents on a document page: same category.
    page = client.get(a.get_absolute_url()).content.decode()
    assert "首页" in page and "办公文档" in page and "工作总结" in page
    assert "第二季度总结.docx" in page
    assert b.get_absolute_url() in page


@pytest.mark.django_db
def test_footer_texts_come_from_the_operator(client):
    html = client.get("/").content.decode()
    assert "本站为文档C2C交易模式" in html
    SiteConfiguration(
        statement="仅提供存储服务，收益归上传人。",
        complaint="侵权请联系 {email}",
        complaint_email="legal@example.cn",
    ).save()
    html = client.get("/").content.decode()
    assert "仅提供存储服务，收益归上传人。" in html
    assert "侵权请联系 legal@example.cn" in html


@pytest.mark.django_db
def test_report_is_recorded(client, member):
    """Visitors may report too, with a contact (issue 13; tests/moderation/review)."""
    doc = make_doc(member, None, "报告.pdf")
    response = client.get(f"/doc/{doc.pk}/report")
    assert response.status_code == 200 and 'name="contact"' in response.content.decode()
    client.force_login(member)
    response = client.post(f"/doc/{doc.pk}/report", {"reason": "copyright", "detail": "盗版"})
    assert response.status_code == 302
    assert doc.reports.get().detail == "盗版"


@pytest.mark.django_db
def test_english_interface_is_available(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Categories" in html
