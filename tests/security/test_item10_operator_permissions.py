"""Issue 11, item 10: being staff (may enter the admin site) grants nothing else.

Reading every paid page and original, managing anybody's document, granting coins,
approving withdrawals, seeing anybody's earnings and uploading past the daily quota
each need their own Django permission. A staff member without it is refused the way
an ordinary member is; one holding it through a group or directly (not as a
superuser) succeeds; a superuser holds them all; the "Operators" group made by the
migrations holds every one.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from openwenku.core.errors import Forbidden
from openwenku.documents.models import Document
from openwenku.market import services
from openwenku.market.models import MarketSettings, PricingLock, Purchase, Wallet, Withdrawal
from tests.access.conftest import staff  # noqa: F401  (fixture)
from tests.market.conftest import age_sales, grant, make_doc, page_urls

pytestmark = [pytest.mark.django_db]

OPERATOR_PERMISSIONS = {
    "documents.read_all_content",
    "documents.manage_any_document",
    "documents.upload_without_quota",
    "market.grant_coins",
    "market.approve_withdrawal",
}


def _web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _reads(client: Client, doc: Document) -> tuple:
    """What a reader observes of a priced document: pages shown, download, API."""
    pages = sorted(page_urls(client.get(doc.get_absolute_url()).content.decode()))
    download = client.get(f"/doc/{doc.pk}/download").status_code
    visible = client.get(f"/api/market/documents/{doc.pk}/pages").json()["visible_pages"]
    return pages, download, visible


def test_item10_reading_paid_content_needs_read_all_content(users, staff):  # noqa: F811
    doc = make_doc(users["uploader"], price=5, pages=4, preview_pages=1)
    plain = staff("plain")
    reader = staff("reader", "documents.read_all_content", via="group")
    refused = _reads(_web(users["other"]), doc)
    assert refused == ([1], 402, 1)
    assert _reads(_web(plain), doc) == refused
    everything = ([1, 2, 3, 4], 200, 4)
    assert _reads(_web(reader), doc) == everything
    assert _reads(_web(users["operator"]), doc) == everything
    assert not Purchase.objects.exists()  # read for free
    # Reading is not managing.
    assert _web(reader).get(f"/doc/{doc.pk}/edit").status_code == 403


def test_item10_download_caps_spare_only_read_all_content(users, staff):  # noqa: F811
    MarketSettings(downloads_per_user_per_day=1, downloads_per_ip_per_day=0).save()
    doc = make_doc(users["uploader"], price=0)

    def codes(user):
        client = _web(user)
        return [client.get(f"/doc/{doc.pk}/download").status_code for _ in range(2)]

    assert codes(users["other"]) == [200, 429]
    assert codes(staff("plain")) == [200, 429]
    assert codes(staff("reader", "documents.read_all_content", via="user")) == [200, 200]
    assert codes(users["operator"]) == [200, 200]


def _manage(client: Client, doc: Document) -> tuple:
    """Edit page, price with a lock, unpublish, delete: the status of each."""
    return (
        client.get(f"/doc/{doc.pk}/edit").status_code,
        client.post(
            f"/doc/{doc.pk}/pricing",
            {"price": 1, "preview_pages": 1, "lock": "on", "reason": "定价过高"},
        ).status_code,
        client.post(f"/doc/{doc.pk}/unpublish").status_code,
        client.post(f"/doc/{doc.pk}/delete").status_code,
    )


def test_item10_managing_any_document_needs_manage_any_document(users, staff):  # noqa: F811
    plain = staff("plain")
    manager = staff("manager", "documents.manage_any_document", via="user")
    for who in (users["other"], plain):
        doc = make_doc(users["uploader"], price=50, pages=3)
        assert not doc.is_managed_by(who)
        assert _manage(_web(who), doc) == (403, 403, 403, 403)
        doc.refresh_from_db()
        assert (doc.price, doc.status) == (50, Document.Status.READY)
        assert not PricingLock.objects.filter(document=doc).exists()
    for who in (manager, users["operator"]):
        doc = make_doc(users["uploader"], price=50, pages=3)
        assert doc.is_managed_by(who)
        client = _web(who)
        assert client.get(f"/doc/{doc.pk}/edit").status_code == 200
        response = client.post(
            f"/doc/{doc.pk}/pricing",
            {"price": 1, "preview_pages": 1, "lock": "on", "reason": "定价过高"},
        )
        assert response.status_code == 302
        doc.refresh_from_db()
        assert doc.price == 1 and PricingLock.objects.filter(document=doc).exists()
        assert client.post(f"/doc/{doc.pk}/unpublish").status_code == 302
        assert Document.objects.get(pk=doc.pk).status == Document.Status.UNPUBLISHED
        assert client.post(f"/doc/{doc.pk}/delete").status_code == 302
        assert not Document.objects.filter(pk=doc.pk).exists()


def test_item10_only_managers_lock_a_price(users, staff):  # noqa: F811
    """A staff member pricing their own document is its uploader, not an operator."""
    plain = staff("plain")
    doc = make_doc(plain, price=50)
    services.pricing_set(document=doc, by=plain, price=9, preview_pages=None, lock=True)
    assert not PricingLock.objects.filter(document=doc).exists()
    manager = staff("manager", "documents.manage_any_document")
    services.pricing_set(document=doc, by=manager, price=8, preview_pages=None, lock=True)
    assert PricingLock.objects.filter(document=doc).exists()
    with pytest.raises(services.MarketRefused):
        services.pricing_set(document=doc, by=plain, price=7, preview_pages=None)


def test_item10_granting_coins_needs_grant_coins(users, staff):  # noqa: F811
    form = {"username": "buyer", "amount": "40", "reason": "补偿"}
    # ``view_wallet`` used to be enough.
    plain = staff("plain", "market.view_wallet")
    client = _web(plain)
    assert client.get("/admin/market/wallet/grant/").status_code == 403
    assert client.post("/admin/market/wallet/grant/", form).status_code == 403
    assert _web(users["other"]).post("/admin/market/wallet/grant/", form).status_code == 302
    assert Wallet.objects.filter(user=users["buyer"], balance__gt=0).count() == 0
    granter = staff("granter", "market.grant_coins", via="group")
    assert _web(granter).post("/admin/market/wallet/grant/", form).status_code == 302
    assert Wallet.objects.get(user=users["buyer"]).balance == 40
    assert _web(users["operator"]).post("/admin/market/wallet/grant/", form).status_code == 302
    assert Wallet.objects.get(user=users["buyer"]).balance == 80


def _pending(users, key: str) -> Withdrawal:
    MarketSettings(min_withdrawal=1).save()
    doc = make_doc(users["uploader"], price=5)
    grant(users["buyer"], 5)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key=key)
    age_sales()  # past the sale hold (issue 11 item 2)
    return services.withdrawal_request(
        user=users["uploader"], amount=5, account="支付宝", idempotency_key=key
    ).withdrawal


def test_item10_deciding_withdrawals_needs_approve_withdrawal(users, staff):  # noqa: F811
    held = _pending(users, "w1")
    plain = staff("plain", "market.view_withdrawal", "market.change_withdrawal")
    for who in (users["other"], plain):
        for decide in (services.withdrawal_approve, services.withdrawal_reject):
            with pytest.raises(Forbidden):
                decide(withdrawal=held, by=who)
    approver = staff("approver", "market.approve_withdrawal", via="user")
    services.withdrawal_approve(withdrawal=held, by=approver)
    assert Withdrawal.objects.get(pk=held.pk).status == Withdrawal.Status.APPROVED
    services.withdrawal_reject(withdrawal=_pending(users, "w2"), by=users["operator"])


def test_item10_admin_withdrawal_actions_need_approve_withdrawal(users, staff):  # noqa: F811
    held = _pending(users, "w1")
    action = {"action": "approve", "_selected_action": [held.pk], "index": 0}
    plain = staff("plain", "market.view_withdrawal", "market.change_withdrawal")
    _web(plain).post("/admin/market/withdrawal/", action)
    assert Withdrawal.objects.get(pk=held.pk).status == Withdrawal.Status.PENDING
    approver = staff("approver", "market.approve_withdrawal", via="group")
    client = _web(approver)
    assert client.get("/admin/market/withdrawal/").status_code == 200
    assert client.post("/admin/market/withdrawal/", action).status_code == 302
    assert Withdrawal.objects.get(pk=held.pk).status == Withdrawal.Status.APPROVED


def test_item10_anybodys_earnings_need_view_wallet(users, staff):  # noqa: F811
    url = f"/earnings/{users['uploader'].pk}/"
    assert _web(users["other"]).get(url).status_code == 403
    assert _web(staff("plain")).get(url).status_code == 403
    assert _web(staff("accountant", "market.view_wallet")).get(url).status_code == 200
    assert _web(users["operator"]).get(url).status_code == 200


def test_item10_upload_quota_exemption_needs_upload_without_quota(users, staff, settings):  # noqa: F811
    from tests.security.test_item07_upload_quotas import _txt

    settings.OPENWENKU = {**settings.OPENWENKU, "UPLOAD_FILES_PER_DAY": 1}

    def codes(user):
        client = _web(user)
        return [
            client.post("/api/documents", {"file": _txt(f"{user.pk}-{n}.txt")}).status_code
            for n in range(2)
        ]

    assert codes(staff("plain")) == [201, 429]
    assert codes(staff("bulk", "documents.upload_without_quota")) == [201, 201]
    assert codes(users["operator"]) == [201, 201]


def test_item10_the_operators_group_holds_every_operator_permission(staff):  # noqa: F811
    operators = Group.objects.get(name="Operators")
    held = {f"{p.content_type.app_label}.{p.codename}" for p in operators.permissions.all()}
    assert held >= OPERATOR_PERMISSIONS
    operator = staff("newop")
    operator.groups.add(operators)
    assert all(operator.has_perm(p) for p in OPERATOR_PERMISSIONS)
