"""Issue 13, notifications: sales and withdrawal decisions reach the member's
message centre (withdrawal decisions by e-mail too) and the audit log."""

from __future__ import annotations

import pytest

from openwenku.audit.models import AuditEntry
from openwenku.market import services
from openwenku.market.models import MarketSettings
from openwenku.notifications.models import Notification
from tests.market.conftest import age_sales, grant, make_doc

pytestmark = [pytest.mark.django_db]


def test_sale_and_withdrawal_decisions_are_told(client, member, other, make_user):
    MarketSettings(min_withdrawal=1).save()
    doc = make_doc(member, price=10, title="期末复习资料.pdf")
    grant(other, 30)
    services.purchase_create(buyer=other, document=doc, idempotency_key="buy")
    sale = Notification.objects.get(recipient=member, kind="sale")
    assert sale.params["title"] == "期末复习资料.pdf" and int(sale.params["coins"]) > 0
    client.force_login(member)
    centre = client.get("/notifications/").content.decode()
    assert "《期末复习资料.pdf》被购买" in centre

    age_sales()
    cashier = make_user("cashier", "market.approve_withdrawal", is_staff=True)
    first = services.withdrawal_request(
        user=member, amount=2, account="支付宝", idempotency_key="a"
    )
    services.withdrawal_approve(withdrawal=first.withdrawal, by=cashier, note="已转账")
    second = services.withdrawal_request(
        user=member, amount=1, account="支付宝", idempotency_key="b"
    )
    services.withdrawal_reject(withdrawal=second.withdrawal, by=cashier, note="账户有误")
    paid = Notification.objects.get(recipient=member, kind="withdrawal_approved")
    refused = Notification.objects.get(recipient=member, kind="withdrawal_rejected")
    assert paid.params == {"amount": 2, "note": "已转账"}
    assert refused.params["note"] == "账户有误"
    centre = client.get("/notifications/").content.decode()
    assert "您提现的 2 金币已支付" in centre and "金币已退回您的钱包" in centre
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["withdrawal_approved", "withdrawal_rejected"]
