"""Issue 14: nothing untranslated in the admin pages the project adds: app names,
column headers, filters and their choices of the project's models, the pipeline
page; the report status "open" reads 待处理 (not 查看, the verb)."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from openwenku.moderation.models import Report
from tests.test_i18n import _LATIN_WORD, LATIN_NAMES, _client, shown, without_content
from tests.test_i18n import site as site

# Model admin pages, shown as Django and its add-ons write them (not the project's).
_NOT_OURS = re.compile(r'<img[^>]*alt="(Search|True|False|Unknown)"[^>]*>')


def _project_admin_pages() -> list[str]:
    urls = ["/admin/", reverse("admin:documents_document_pipeline")]
    for model in admin.site._registry:
        if model.__module__.startswith("openwenku."):
            meta = model._meta
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


def _parts(html: str) -> list[str]:
    """What the project names on an admin page: its app list captions, the table's
    column headers, the filters and their choices, and the pipeline page's body."""
    html = _NOT_OURS.sub("", html)
    html = re.sub(r'<nav class="sticky" id="nav-sidebar"[^>]*>.*?</nav>', "", html, flags=re.S)
    parts = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>(.*?)</a>', html, re.S)
    parts += re.findall(r'<th scope="row"><a [^>]*>(.*?)</a>', html, re.S)  # model names
    parts += re.findall(r'<th scope="col" class="[^"]*column-[^"]*"[^>]*>(.*?)</th>', html, re.S)
    parts += re.findall(r'<nav id="changelist-filter".*?</nav>', html, re.S)
    return parts


@pytest.mark.django_db
def test_project_admin_pages_are_all_chinese(site, django_user_model):
    operator = django_user_model.objects.create_superuser("ops", "ops@example.com", "pw")
    Report.objects.create(document=site.free, reporter=site.member, reason="other")
    client = _client("zh-hans", operator)
    app_labels = {
        m._meta.app_label for m in admin.site._registry if m.__module__.startswith("openwenku.")
    }
    groups = list(Group.objects.values_list("name", flat=True))
    found = []
    for url in _project_admin_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        if url == "/admin/":
            # Only the project's apps: Django's add-ons (axes, tasks) name theirs.
            html = "".join(
                re.findall(
                    rf'<div class="app-(?:{"|".join(app_labels)}) module.*?</table>', html, re.S
                )
            )
        parts = _parts(html)
        if url.endswith("/pipeline/"):
            parts += re.findall(r'<div id="content-main">(.*?)</div>', html, re.S)
        for part in parts:
            for text in shown(part, "zh-hans"):
                text = without_content(text, site)
                for group in groups:  # data: an operator names the groups
                    text = text.replace(group, " ")
                words = [w for w in _LATIN_WORD.findall(text) if w.lower() not in LATIN_NAMES]
                words = [w for w in words if w not in ("SHA", "OCR")]
                if words:
                    found.append(f"{url}: {' '.join(text.split())!r}")
    assert not found, "English in the project's admin pages:\n" + "\n".join(sorted(set(found)))


@pytest.mark.django_db
def test_an_open_report_reads_pending_not_view(site, django_user_model):
    operator = django_user_model.objects.create_superuser("ops", "ops@example.com", "pw")
    Report.objects.create(document=site.free, reporter=site.member, reason="other")
    html = _client("zh-hans", operator).get("/admin/moderation/report/").content.decode()
    assert "待处理" in html
    assert "查看" not in re.search(r"<tbody>.*?</tbody>", html, re.S).group(0)
    # The upload page's "Open" (a link to a document) is still the verb.
    upload = _client("zh-hans", site.uploader).get("/upload/").content.decode()
    assert 'data-open="查看"' in upload
