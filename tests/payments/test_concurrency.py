"""Ten copies of one notification at once (Alipay, WeChat Pay) credit the
order once (PostgreSQL: SQLite runs one writer at a time, so the race needs a
real server)."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client

from openwenku.market.selectors import balance_of
from openwenku.payments import services
from openwenku.payments.models import Credit

from .conftest import notification, sign_notification


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_notifications_credit_once(member, package, alipay_on, keys):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    order = services.order_create(member=member, package_id=package.pk, provider="alipay")
    params = sign_notification(notification(order), keys.alipay)
    barrier = threading.Barrier(10)
    answers: list[str] = []

    def deliver() -> None:
        client = Client()
        barrier.wait()
        try:
            answers.append(client.post("/payments/alipay/notify", params).content.decode())
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert answers == ["success"] * 10
    assert balance_of(member) == 66
    assert Credit.objects.filter(order=order).count() == 1
    call_command("coins", "audit")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_wechat_notifications_credit_once(member, package, wechat_on, wx_keys):
    from .conftest import wx_headers, wx_notification_body, wx_paid

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time: the race needs PostgreSQL")
    order = services.order_create(member=member, package_id=package.pk, provider="wechat")
    body = wx_notification_body(wx_paid(order))
    headers = wx_headers(wx_keys.platform, body)
    barrier = threading.Barrier(10)
    codes: list[int] = []

    def deliver() -> None:
        client = Client()
        barrier.wait()
        try:
            codes.append(
                client.post(
                    "/payments/wechat/notify",
                    data=body,
                    content_type="application/json",
                    headers=headers,
                ).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert codes == [204] * 10
    assert balance_of(member) == 66
    assert Credit.objects.filter(order=order).count() == 1
    call_command("coins", "audit")
