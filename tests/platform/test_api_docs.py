"""Issue 14: the API docs (/api/docs, Swagger UI) load their assets from this site, not a
public CDN, so they work offline and under the site's strict CSP."""

import os
import re

import pytest

from tests.browser.conftest import CHROMIUM, page  # noqa: F401  (a fixture)


@pytest.mark.django_db
def test_swagger_ui_assets_come_from_this_site(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in html.lower()
    # No inline script: the settings are JSON data, run by a script of the site.
    scripts = re.findall(r"<script([^>]*)>", html)
    assert all("src=" in s or 'type="application/json"' in s for s in scripts), scripts
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed")
def test_swagger_ui_renders_offline_within_the_policy(page, live_server):  # noqa: F811  (a fixture)
    page.set_default_timeout(30_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    outside: list[str] = []
    # Offline: any request to another host fails (and is recorded).
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server.url)
            or route.request.url.startswith("data:")
            else (outside.append(route.request.url), route.abort())
        ),
    )
    page.goto(live_server.url + "/api/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    assert "OpenWenku API" in page.locator(".swagger-ui .info .title").inner_text()
    page.locator(".opblock").first.wait_for()
    assert outside == []
    assert violations == []
