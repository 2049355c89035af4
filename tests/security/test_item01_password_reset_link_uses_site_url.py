"""Issue 11, item 1: a reset link never comes from the request's Host header.

A reset request for a victim sent with ``Host: evil.example`` must not mail the
victim a link to the attacker's host; links in e-mails come from the configured
public address (OPENWENKU_SITE_URL) only, and the site answers by default to that
host and the loopback names, never to any host.
"""

import json
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from openwenku.core.management.commands.serve import site_url_for_bind

SITE = "https://wenku.example.org"


def reset(client, **headers):
    return client.post(reverse("accounts:password_reset"), {"email": "wang@example.com"}, **headers)


def production_settings(env: dict[str, str], tmp_path) -> dict:
    """ALLOWED_HOSTS and SITE_URL as a fresh process reads them from ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENWENKU_")}
    clean.update(OPENWENKU_SECRET_KEY="x" * 60, OPENWENKU_DATA_DIR=str(tmp_path / "data"), **env)
    code = (
        "import json; from openwenku import settings as s; "
        "print(json.dumps({'hosts': s.ALLOWED_HOSTS, 'site': s.SITE_URL}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=clean, cwd=tmp_path, capture_output=True, check=True
    )
    return json.loads(out.stdout)


def test_default_allowed_hosts_are_the_site_host_and_loopback(tmp_path):
    read = production_settings({"OPENWENKU_SITE_URL": SITE + "/"}, tmp_path)
    assert read == {
        "hosts": ["wenku.example.org", "localhost", "127.0.0.1", "[::1]"],
        "site": SITE,
    }
    read = production_settings({}, tmp_path)
    assert "*" not in read["hosts"]
    assert read["hosts"] == ["localhost", "127.0.0.1", "[::1]"]
    # An operator may still choose explicitly.
    read = production_settings({"OPENWENKU_ALLOWED_HOSTS": "a.example,b.example"}, tmp_path)
    assert read["hosts"] == ["a.example", "b.example"]


@pytest.mark.django_db
def test_reset_with_a_foreign_host_is_refused(client, member, settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["wenku.example.org", "localhost", "127.0.0.1", "[::1]"]
    response = reset(client, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize("site_url", [SITE, ""])
def test_reset_mail_links_to_the_site_url_whatever_the_host(client, member, settings, site_url):
    # Even when the operator lets every host in, the Host header is never a link.
    settings.SITE_URL = site_url
    settings.ALLOWED_HOSTS = ["*"]
    reset(client, HTTP_HOST="evil.example")
    reset(client, HTTP_X_FORWARDED_HOST="evil.example")
    assert len(mail.outbox) == 2
    expected = (site_url or "http://127.0.0.1:8000") + "/accounts/password/reset/"
    for message in mail.outbox:
        assert expected in message.body
        assert "evil.example" not in message.body + message.subject


def test_serve_derives_the_site_url_from_its_bind_address():
    assert site_url_for_bind("127.0.0.1:8000") == "http://127.0.0.1:8000"
    assert site_url_for_bind("localhost:9000") == "http://localhost:9000"
    assert site_url_for_bind("[::1]:8000") == "http://[::1]:8000"
    # A wildcard address is no address a link can name.
    assert site_url_for_bind("0.0.0.0:8000") is None
    assert site_url_for_bind("[::]:8000") is None
    assert site_url_for_bind("unix:/run/openwenku.sock") is None


def test_serve_on_all_interfaces_requires_the_site_url(settings):
    settings.DEBUG = False
    settings.SITE_URL = ""
    with pytest.raises(CommandError, match="OPENWENKU_SITE_URL"):
        call_command("serve", bind="0.0.0.0:8000")


@pytest.mark.django_db
def test_item01_canonical_links_name_the_configured_site_whatever_the_host(client, settings):
    """A site answering to several names (www and bare) still names one in its canonical
    links, so crawlers and caches never learn a host a visitor made up."""
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["wenku.example.org", "www.wenku.example.org"]
    html = client.get("/", HTTP_HOST="www.wenku.example.org").content.decode()
    assert f'<link rel="canonical" href="{SITE}/">' in html
    assert "www.wenku.example.org" not in html
