"""Operators see the pipeline in the admin and can retry failed documents."""

import pytest
from django_tasks_db.models import DBTaskResult

from openwenku.documents.models import Document
from tests.documents.test_catalogue_pages import make_doc

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("op", "op@example.com", "pw"))
    return client


def test_pipeline_page_shows_queue_throughput_and_failures(operator_client, member):
    from django.utils import timezone

    make_doc(member, None, "好.pdf", converted_at=timezone.now(), conversion_seconds=1.5)
    bad = make_doc(
        member,
        None,
        "坏.docx",
        status="failed",
        failure_reason="文件有密码保护，无法转换。请去除密码后重新上传",
    )
    html = operator_client.get("/admin/documents/document/pipeline/").content.decode()
    assert "文件有密码保护" in html
    assert '<td class="per-hour">1</td>' in html

    response = operator_client.post("/admin/documents/document/pipeline/", {"retry_failed": "1"})
    assert response.status_code == 302
    bad.refresh_from_db()
    assert bad.status == "uploaded" and bad.failure_reason == ""
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_retry_action_on_the_document_list(operator_client, member):
    bad = make_doc(member, None, "坏.docx", status="failed", failure_reason="超时")
    response = operator_client.post(
        "/admin/documents/document/", {"action": "retry_conversion", "_selected_action": [bad.pk]}
    )
    assert response.status_code == 302
    assert Document.objects.get(pk=bad.pk).status == "uploaded"


def test_members_cannot_see_the_pipeline(member_client):
    response = member_client.get("/admin/documents/document/pipeline/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
