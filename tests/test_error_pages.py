"""Error pages speak the reader's language (Simplified Chinese by default)."""

import pytest
from django.test import Client
from django.urls import path

from openwenku.urls import urlpatterns as site_patterns


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), *site_patterns]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_answers_a_translated_page():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "出错了" in html and 'lang="zh-hans"' in html
    english = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Something went wrong" in english


@pytest.mark.django_db
def test_forbidden_answers_a_translated_page(client, django_user_model):
    member = django_user_model.objects.create_user("reader", password="pw-reader-1")
    client.force_login(member)
    response = client.get("/search/insights")
    assert response.status_code == 403
    assert "您的账号没有访问此页面所需的权限" in response.content.decode()
