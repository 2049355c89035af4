"""The specification of the access layer: reader kind × document state × action.

Each row of ``TABLE`` is one document state and one action; its eight cells say
what the access layer answers an anonymous visitor, a member, a staff member
holding no permission (staff status only opens the admin site: they are
members), a holder of ``documents.read_all_content``, a holder of
``documents.manage_any_document``, a buyer (who paid for the document), its
uploader and a superuser: ``ok`` or the reason refused.
Every surface (page, page images, text, search snippets, downloads, the API)
asks ``openwenku.access`` and nothing else, so this table is the rule.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from openwenku.access.policy import AccessDenied, Action, Reason, access_for, decide
from openwenku.access.selectors import document_for_reader, page_for_reader, visible_text
from openwenku.documents.models import Document
from openwenku.market import services
from openwenku.market.models import MarketSettings
from tests.market.conftest import grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

READERS = ("anonymous", "member", "staff", "reader", "manager", "buyer", "uploader", "operator")
OK = "ok"
LOGIN, BUY, HIDDEN, NO_PAGE, NOT_MGR, NOTHING, GONE = (
    Reason.NEEDS_LOGIN,
    Reason.NEEDS_PURCHASE,
    Reason.NOT_PUBLISHED,
    Reason.NO_SUCH_PAGE,
    Reason.NOT_MANAGER,
    Reason.NOTHING_TO_BUY,
    Reason.TAKEN_DOWN,
)

# Documents of 5 pages; the priced one (5 coins) previews 2 pages.
# (state, action, page): anonymous, member, staff, reader, manager, buyer, uploader, operator
# Staff status alone makes a member; read_all_content reads every published document
# as if bought (never one that is not published); manage_any_document manages any
# document as its uploader does; a superuser ("operator") holds every permission.


def everyone(cell):
    return (cell,) * len(READERS)


TABLE = {
    # A priced, published document.
    ("priced", Action.VIEW, None): everyone(OK),
    ("priced", Action.READ_PAGE, 1): everyone(OK),
    ("priced", Action.READ_PAGE, 2): everyone(OK),
    ("priced", Action.READ_PAGE, 3): (NO_PAGE, NO_PAGE, NO_PAGE, OK, OK, OK, OK, OK),
    ("priced", Action.READ_PAGE, 6): everyone(NO_PAGE),
    ("priced", Action.READ_PAGE, 0): everyone(NO_PAGE),
    ("priced", Action.READ_TEXT, 2): everyone(OK),
    ("priced", Action.READ_TEXT, 5): (NO_PAGE, NO_PAGE, NO_PAGE, OK, OK, OK, OK, OK),
    ("priced", Action.DOWNLOAD, None): (BUY, BUY, BUY, OK, OK, OK, OK, OK),
    ("priced", Action.BUY, None): (LOGIN, OK, OK, NOTHING, NOTHING, NOTHING, NOTHING, NOTHING),
    ("priced", Action.MANAGE, None): (NOT_MGR, NOT_MGR, NOT_MGR, NOT_MGR, OK, NOT_MGR, OK, OK),
    # A free, published document (the site wants an account to download: the default).
    ("free", Action.VIEW, None): everyone(OK),
    ("free", Action.READ_PAGE, 5): everyone(OK),
    ("free", Action.READ_PAGE, 6): everyone(NO_PAGE),
    ("free", Action.READ_TEXT, 5): everyone(OK),
    ("free", Action.DOWNLOAD, None): (LOGIN, OK, OK, OK, OK, OK, OK, OK),
    ("free", Action.BUY, None): everyone(NOTHING),
    ("free", Action.MANAGE, None): (NOT_MGR, NOT_MGR, NOT_MGR, NOT_MGR, OK, NOT_MGR, OK, OK),
}
# Not published (converting, failed, held for review, rejected in review): it exists
# only for its managers, who may watch it, read its pages and manage it, but nobody
# downloads or buys it (a held one is also open to reviewers: see test below).
for _state in ("converting", "failed", "held", "rejected"):
    TABLE |= {
        (_state, Action.VIEW, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK),
        (_state, Action.READ_PAGE, 1): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK),
        (_state, Action.READ_PAGE, 5): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK),
        (_state, Action.READ_TEXT, 3): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK),
        (_state, Action.DOWNLOAD, None): everyone(HIDDEN),
        (_state, Action.BUY, None): everyone(HIDDEN),
        (_state, Action.MANAGE, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, OK, OK),
    }

# Unpublished by its uploader after it was sold: the buyer keeps what they paid for
# (every page, the download); for everyone else but its managers it is gone.
_state = "unpublished"
TABLE |= {
    (_state, Action.VIEW, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK),
    (_state, Action.READ_PAGE, 1): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK),
    (_state, Action.READ_PAGE, 5): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK),
    (_state, Action.READ_TEXT, 3): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, OK, OK, OK),
    (_state, Action.DOWNLOAD, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, HIDDEN, HIDDEN),
    (_state, Action.BUY, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, NOTHING, HIDDEN, HIDDEN),
    (_state, Action.MANAGE, None): (HIDDEN, HIDDEN, HIDDEN, HIDDEN, OK, NOT_MGR, OK, OK),
}

# Taken down for cause (copyright, illegal, privacy): gone for everyone (410), the
# buyer and the uploader included; only operators who decide takedowns
# (moderation.handle_notice / take_down: the superuser here) still read its pages.
_state = "taken_down"
_reviewer_only = (GONE, GONE, GONE, GONE, GONE, GONE, GONE, OK)
TABLE |= {
    (_state, Action.VIEW, None): everyone(GONE),
    (_state, Action.READ_PAGE, 1): _reviewer_only,
    (_state, Action.READ_PAGE, 5): _reviewer_only,
    (_state, Action.READ_PAGE, 6): everyone(GONE),
    (_state, Action.READ_TEXT, 3): _reviewer_only,
    (_state, Action.DOWNLOAD, None): everyone(GONE),
    (_state, Action.BUY, None): everyone(GONE),
    (_state, Action.MANAGE, None): everyone(GONE),
}

STATUS = {
    "priced": Document.Status.READY,
    "free": Document.Status.READY,
    "converting": Document.Status.CONVERTING,
    "failed": Document.Status.FAILED,
    "unpublished": Document.Status.UNPUBLISHED,
    "taken_down": Document.Status.TAKEN_DOWN,
    "held": Document.Status.HELD,
    "rejected": Document.Status.REJECTED,
}


@pytest.fixture
def world(users, staff):
    """One document per state; the buyer bought each priced one while it was ready."""
    users = {
        **users,
        "member": users["other"],
        "anonymous": AnonymousUser(),
        "staff": staff("staff"),
        "reader": staff("reader", "documents.read_all_content", via="group"),
        "manager": staff("manager", "documents.manage_any_document", via="user"),
    }
    documents = {}
    for state, status in STATUS.items():
        price = 0 if state == "free" else 5
        doc = make_doc(users["uploader"], price=price, pages=5, preview_pages=2 if price else None)
        if price:
            grant(users["buyer"], price)
            services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key=state)
        Document.objects.filter(pk=doc.pk).update(status=status)
        documents[state] = Document.objects.get(pk=doc.pk)
    return documents, users


@pytest.mark.parametrize(("state", "action", "page"), list(TABLE))
def test_access_table(world, state, action, page):
    documents, users = world
    got = tuple(
        (lambda d: OK if d else d.reason)(decide(users[r], documents[state], action, page))
        for r in READERS
    )
    assert got == TABLE[(state, action, page)], dict(zip(READERS, got, strict=True))


def test_the_table_covers_every_action_and_state():
    assert {a for _, a, _ in TABLE} == set(Action)
    assert {s for s, _, _ in TABLE} == set(STATUS)


def test_free_downloads_without_an_account_when_the_site_allows_it(world):
    documents, users = world
    settings = MarketSettings.current()
    settings.free_download_requires_login = False
    settings.save()
    assert decide(users["anonymous"], documents["free"], Action.DOWNLOAD)
    assert decide(None, documents["free"], Action.DOWNLOAD)


def test_refusals_carry_the_error_contract(world):
    documents, users = world
    with pytest.raises(AccessDenied) as hidden:
        document_for_reader(users["member"], documents["converting"].pk)
    # A document a reader may not see answers as if its number were free.
    assert (hidden.value.code, hidden.value.status) == ("not_found", 404)
    with pytest.raises(AccessDenied) as missing:
        document_for_reader(users["member"], 999_999)
    assert (missing.value.code, missing.value.status) == ("not_found", 404)
    with pytest.raises(AccessDenied) as manage:
        document_for_reader(users["member"], documents["priced"].pk, Action.MANAGE)
    assert (manage.value.code, manage.value.status) == ("not_manager", 403)
    with pytest.raises(AccessDenied):
        page_for_reader(users["member"], documents["priced"].pk, 3)
    assert page_for_reader(users["buyer"], documents["priced"].pk, 3).number == 3


def test_visible_text_stops_at_the_paywall(world):
    documents, users = world
    priced = documents["priced"]
    member_text = visible_text(priced, access_for(users["member"], priced))
    buyer_text = visible_text(priced, access_for(users["buyer"], priced))
    assert "PAGE2TEXT" in member_text and "PAGE3TEXT" not in member_text
    assert "PAGE5TEXT" in buyer_text


def test_surfaces_answer_refusals_in_one_shape(world, users):
    documents, _ = world
    converting = documents["converting"].pk
    web = Client()
    web.force_login(users["other"])
    page = web.get(f"/doc/{converting}.html")
    assert page.status_code == 404
    edit = web.get(f"/doc/{documents['priced'].pk}/edit")
    assert edit.status_code == 403
    api = web.get(f"/api/documents/{converting}")
    assert api.status_code == 404 and api.json()["code"] == "not_found"


def test_buyers_keep_an_unpublished_document(world, users, client):
    """Issue 11, item 11: a seller who unpublishes after selling takes nothing from
    buyers; the document stays out of every listing and away from everyone else."""
    documents, _ = world
    unpublished = documents["unpublished"]
    client.force_login(users["buyer"])
    page = client.get(f"/doc/{unpublished.pk}.html")
    assert page.status_code == 200
    assert "PAGE5TEXT" in page.content.decode()
    download = client.get(f"/doc/{unpublished.pk}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    api = client.get(f"/api/market/documents/{unpublished.pk}/pages")
    assert api.status_code == 200 and api.json()["visible_pages"] == 5
    client.force_login(users["other"])
    assert client.get(f"/doc/{unpublished.pk}.html").status_code == 404
    assert client.get(f"/doc/{unpublished.pk}/download").status_code == 404
    from openwenku.access.selectors import listable_documents

    assert not listable_documents().filter(pk=unpublished.pk).exists()


def test_a_taken_down_document_answers_410_everywhere_even_to_its_buyer(world, users, client):
    documents, _ = world
    gone = documents["taken_down"]
    for who in ("buyer", "uploader", "other"):
        client.force_login(users[who])
        assert client.get(f"/doc/{gone.pk}.html").status_code == 410
        assert client.get(f"/doc/{gone.pk}/download").status_code == 410
        assert client.get(f"/doc/{gone.pk}/cover.webp").status_code == 410
        api = client.get(f"/api/documents/{gone.pk}")
        assert api.status_code == 410 and api.json()["code"] == "taken_down"
        assert client.get(f"/api/market/documents/{gone.pk}/pages").status_code == 410
    from openwenku.access.selectors import listable_documents

    assert not listable_documents().filter(pk=gone.pk).exists()


def test_reviewers_read_a_held_document_whole_but_never_download_or_manage_it(world, staff):
    """Issue 13: a held document is visible to its uploader and operators only; a
    holder of moderation.review_document reads every page and its text to review it."""
    documents, _users = world
    reviewer = staff("reviewer", "moderation.review_document", via="group")
    held, rejected = documents["held"], documents["rejected"]
    assert decide(reviewer, held, Action.VIEW)
    assert decide(reviewer, held, Action.READ_PAGE, 5)
    assert decide(reviewer, held, Action.READ_TEXT, 5)
    assert decide(reviewer, held, Action.DOWNLOAD).reason is HIDDEN
    assert decide(reviewer, held, Action.MANAGE).reason is NOT_MGR
    # Only held documents: a rejected one is its uploader's alone again.
    assert decide(reviewer, rejected, Action.VIEW).reason is HIDDEN
    assert decide(reviewer, documents["converting"], Action.VIEW).reason is HIDDEN
