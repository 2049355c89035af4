"""Issue 14: a favicon, linked from every page and at /favicon.ico."""

import re

import pytest


@pytest.mark.django_db
def test_pages_link_the_svg_icon_and_favicon_ico_leads_to_it(client):
    html = client.get("/").content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html)
    assert link, "no icon link in the page head"
    icon = client.get(link.group(1))
    assert icon.status_code == 200
    assert icon["Content-Type"].startswith("image/svg+xml")
    assert b"<svg" in b"".join(icon.streaming_content)

    legacy = client.get("/favicon.ico")
    assert legacy.status_code == 302
    assert legacy["Location"] == link.group(1)
    assert client.head("/favicon.ico").status_code == 302
