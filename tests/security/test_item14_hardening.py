"""Issue 11, item 14: HSTS and secure cookies over TLS, the proxy header only
with a trusted proxy, and ``check --deploy`` clean with the documented
production settings.

The settings are read by a fresh process from the environment, as the site
reads them, so the derivations in ``openwenku.settings`` are what is tested.
"""

import json
import os
import subprocess
import sys

from django.core.management import call_command
from django.test import override_settings

PRODUCTION = {
    "OPENWENKU_DEBUG": "false",
    "OPENWENKU_SITE_URL": "https://wenku.example.org",
    "OPENWENKU_SECRET_KEY": "k3y-" + "q8Zr!mW2#vL9@xT4$pN7%" * 3,
}
READ = (
    "import json; from openwenku import settings as s; print(json.dumps({n: "
    "getattr(s, n, None) for n in ('SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_PROXY_SSL_HEADER', "
    "'SECURE_SSL_REDIRECT')}))"
)


def run(args: list[str], env: dict[str, str], tmp_path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENWENKU_")}
    clean.update(OPENWENKU_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, *args], env=clean, cwd=tmp_path, capture_output=True, text=True
    )


def security_settings(env: dict[str, str], tmp_path) -> dict:
    done = run(["-c", READ], env, tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_item14_https_site_gets_hsts_and_secure_cookies(tmp_path):
    read = security_settings(PRODUCTION, tmp_path)
    assert read["SECURE_HSTS_SECONDS"] >= 30 * 24 * 3600
    assert read["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False  # opt-in only
    assert read["SESSION_COOKIE_SECURE"] is True
    assert read["CSRF_COOKIE_SECURE"] is True
    assert read["SECURE_SSL_REDIRECT"] in (None, False)  # the proxy redirects
    # Without a trusted proxy, X-Forwarded-Proto from anyone is not believed.
    assert read["SECURE_PROXY_SSL_HEADER"] is None


def test_item14_plain_http_site_keeps_cookies_usable(tmp_path):
    read = security_settings(
        {**PRODUCTION, "OPENWENKU_SITE_URL": "http://127.0.0.1:8000"}, tmp_path
    )
    assert read["SECURE_HSTS_SECONDS"] in (None, 0)
    assert read["SESSION_COOKIE_SECURE"] in (None, False)
    assert read["CSRF_COOKIE_SECURE"] in (None, False)


def test_item14_proxy_ssl_header_only_with_a_trusted_proxy(tmp_path):
    env = {**PRODUCTION, "OPENWENKU_TRUSTED_PROXIES": "127.0.0.1"}
    assert security_settings(env, tmp_path)["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_item14_check_deploy_is_clean_with_production_settings(tmp_path):
    done = run(
        ["-m", "openwenku", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION, tmp_path
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_item14_check_deploy_in_process(settings):
    # The same, in this process, under the settings an https production site derives.
    with override_settings(
        DEBUG=False,
        SECRET_KEY=PRODUCTION["OPENWENKU_SECRET_KEY"],
        SITE_URL="https://wenku.example.org",
        ALLOWED_HOSTS=["wenku.example.org"],
        SECURE_HSTS_SECONDS=31536000,
        SESSION_COOKIE_SECURE=True,
        CSRF_COOKIE_SECURE=True,
    ):
        call_command("check", deploy=True, fail_level="WARNING")


def test_item14_secret_key_is_written_whole_once_and_private(tmp_path, monkeypatch):
    """Sixteen commands starting at once on a new data folder: one key, 0600, and no
    reader ever sees a partly written (or empty) key file."""
    import stat
    import threading

    from openwenku import datadir

    monkeypatch.delenv("OPENWENKU_SECRET_KEY", raising=False)
    data = tmp_path / "data"
    seen: set[str] = set()
    barrier = threading.Barrier(16)

    def start() -> None:
        barrier.wait()
        datadir.ensure(data)
        seen.add(datadir.read_secret_key(data))

    threads = [threading.Thread(target=start) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    key_file = data / datadir.SECRET_KEY_FILE
    assert len(seen) == 1 and len(seen.pop()) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [p.name for p in data.iterdir() if p.name.startswith(".secret_key")] == []
