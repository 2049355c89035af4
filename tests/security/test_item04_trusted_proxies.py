"""Issue 11, item 4: per-address limits behind a reverse proxy. The client's
address comes from X-Forwarded-For only when the peer is a trusted proxy."""

import pytest
from django.test import Client, RequestFactory

from openwenku.accounts.throttling import client_ip
from openwenku.market.models import Download, MarketSettings

from .conftest import make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

PROXY = "10.0.0.1"


def _ip(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_item04_spoofed_forwarded_for_from_untrusted_peer_is_ignored(client, users, settings):
    MarketSettings(free_download_requires_login=False).save()
    doc = make_doc(users["uploader"], price=0)
    # No trusted proxy (the default): the header is the client's own word.
    assert settings.TRUSTED_PROXIES == []
    response = client.get(
        f"/doc/{doc.pk}/download", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4"
    )
    assert response.status_code == 200
    assert Download.objects.get().ip == "203.0.113.5"
    # A trusted proxy elsewhere does not make this peer's header believed.
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _ip("203.0.113.5", "1.2.3.4") == "203.0.113.5"
    # Through the proxy: the right-most address the proxy did not add itself.
    assert _ip(PROXY, "1.2.3.4, 198.51.100.7") == "198.51.100.7"
    assert _ip(PROXY, "198.51.100.7, 10.0.0.2") == "198.51.100.7"
    assert _ip(PROXY, "not-an-address") == PROXY
    assert _ip(PROXY) == PROXY


def test_item04_two_clients_behind_trusted_proxy_get_separate_download_caps(users, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    MarketSettings(free_download_requires_login=False, downloads_per_ip_per_day=1).save()
    doc = make_doc(users["uploader"], price=0)
    url = f"/doc/{doc.pk}/download"

    def get(client_address):
        return Client().get(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address)

    assert get("198.51.100.1").status_code == 200
    assert get("198.51.100.1").status_code == 429
    assert get("198.51.100.2").status_code == 200
    assert set(Download.objects.values_list("ip", flat=True)) == {"198.51.100.1", "198.51.100.2"}


def test_item04_api_token_failures_count_per_client_behind_proxy(users, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.OPENWENKU = {**settings.OPENWENKU, "LOGIN_FAILURE_LIMIT_PER_IP": 5}

    def post(client_address, username):
        return Client().post(
            "/api/auth/token",
            {"username": username, "password": "wrong"},
            content_type="application/json",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=client_address,
        )

    # One client guessing at several accounts locks its own address (item 3) ...
    codes = [post("198.51.100.1", f"member{n}").status_code for n in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    # ... not the proxy's: another client behind it is still heard.
    assert post("198.51.100.2", "member9").status_code == 401
