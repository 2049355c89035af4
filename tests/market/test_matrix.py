"""Authorisation matrix: every protected thing × every kind of visitor."""

import pytest
from django.test import Client

from openwenku.access import paywall
from openwenku.access.policy import access_for
from openwenku.access.selectors import public_text, visible_text
from openwenku.market import services
from openwenku.market.models import LedgerEntry, MarketSettings

from .conftest import age_sales, grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

ROLES = ["anonymous", "other", "buyer", "uploader", "operator"]
SEE = {"anonymous": False, "other": False, "buyer": True, "uploader": True, "operator": True}


@pytest.fixture
def world(users):
    doc = make_doc(users["uploader"], price=5, pages=8, preview_pages=2, title="合同范本.docx")
    grant(users["buyer"], 5)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    clients = {}
    for role in ROLES:
        c = Client()
        if role != "anonymous":
            c.force_login(users[role])
        clients[role] = c
    return doc, clients


def _user(users, role):
    return None if role == "anonymous" else users[role]


@pytest.mark.parametrize("role", ROLES)
def test_hidden_page_image(world, users, role):
    doc, clients = world
    # The URL this visitor would be handed (signed for them), and the bare path.
    url = paywall.page_image_url(doc, 6, _user(users, role), free=False)
    expected = 200 if SEE[role] else 404
    assert clients[role].get(url).status_code == expected
    assert clients[role].get(f"/doc/{doc.pk}/page/6").status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_hidden_page_text_in_html(world, role):
    doc, clients = world
    html = clients[role].get(doc.get_absolute_url()).content.decode()
    assert ("PAGE6TEXT" in html) is SEE[role]
    assert ("还剩6页未读" in html) is (not SEE[role])


@pytest.mark.parametrize("role", ROLES)
def test_hidden_page_text_in_api(world, role):
    doc, clients = world
    raw = clients[role].get(f"/api/market/documents/{doc.pk}/pages").content.decode()
    assert ("PAGE6TEXT" in raw) is SEE[role]


@pytest.mark.parametrize("role", ROLES)
def test_hidden_page_text_for_search(world, users, role):
    doc, _ = world
    # What search snippets may quote: the anonymous preview, whoever asks.
    assert "PAGE6TEXT" not in public_text(doc)
    assert ("PAGE6TEXT" in visible_text(doc, access_for(_user(users, role), doc))) is SEE[role]


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", 302), ("other", 402), ("buyer", 200), ("uploader", 200), ("operator", 200)],
)
def test_original_file(world, role, expected):
    doc, clients = world
    response = clients[role].get(f"/doc/{doc.pk}/download")
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    elif expected == 302:
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", 302), ("other", 403), ("buyer", 403), ("uploader", 200), ("operator", 200)],
)
def test_uploaders_earnings(world, users, role, expected):
    _, clients = world
    response = clients[role].get(f"/earnings/{users['uploader'].pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert "合同范本.docx" in response.content.decode()


@pytest.mark.parametrize(
    "role,expected",
    [("anonymous", 302), ("other", 403), ("buyer", 403), ("uploader", 302), ("operator", 302)],
)
def test_pricing_change(world, role, expected):
    doc, clients = world
    response = clients[role].post(f"/doc/{doc.pk}/pricing", {"price": 9, "preview_pages": 2})
    assert response.status_code == expected
    doc.refresh_from_db()
    assert (doc.price == 9) is (role in ("uploader", "operator"))


@pytest.mark.parametrize("role", ROLES)
def test_admin_grant_and_withdrawal_actions(world, users, role):
    _, clients = world
    before = LedgerEntry.objects.count()
    response = clients[role].post(
        "/admin/market/wallet/grant/", {"username": "other", "amount": "7", "reason": "r"}
    )
    allowed = role == "operator"
    assert response.status_code == 302
    assert ("/admin/login/" in response["Location"]) is not allowed
    assert (LedgerEntry.objects.count() == before + 1) is allowed
    MarketSettings(min_withdrawal=1).save()
    age_sales()
    w = services.withdrawal_request(
        user=users["uploader"], amount=5, account="支付宝", idempotency_key=role
    ).withdrawal
    response = clients[role].post(
        "/admin/market/withdrawal/",
        {"action": "reject", "_selected_action": [w.pk], "index": 0},
    )
    assert response.status_code == 302
    w.refresh_from_db()
    assert (w.status == "rejected") is allowed
