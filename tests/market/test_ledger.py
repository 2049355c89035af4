"""The ledger: append-only, balances kept equal and non-negative by the database;
grants and deductions through the service, the CLI command and the admin."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum

from openwenku.market import ledger, services
from openwenku.market.models import LedgerEntry, Purchase, Wallet

from .conftest import grant

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def assert_ledger_consistent():
    sums = dict(LedgerEntry.objects.values_list("wallet_id").annotate(s=Sum("amount")).order_by())
    for wallet in Wallet.objects.all():
        assert wallet.balance >= 0
        assert wallet.balance == sums.get(wallet.pk, 0), wallet


def test_grant_and_deduct_write_entries_and_balance(users):
    buyer = users["buyer"]
    grant(buyer, 30)
    entry = services.coins_grant(user=buyer, amount=-12, reason="误发", by=users["operator"])
    assert entry.kind == "deduction" and entry.balance_after == 18 and entry.memo == "误发"
    assert Wallet.objects.get(user=buyer).balance == 18
    with pytest.raises(services.MarketRefused, match="18"):
        services.coins_grant(user=buyer, amount=-19, reason="too much")
    with pytest.raises(services.MarketRefused):
        services.coins_grant(user=buyer, amount=5, reason="  ")
    assert Wallet.objects.get(user=buyer).balance == 18
    assert_ledger_consistent()


def _sql(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_refuses_to_edit_history_or_balances(users):
    buyer = users["buyer"]
    entry = grant(buyer, 10)
    wallet = Wallet.objects.get(user=buyer)
    # The cached balance cannot be written directly...
    with pytest.raises((IntegrityError, DatabaseError)):
        _sql("UPDATE market_wallet SET balance = 1000 WHERE id = %s", [wallet.pk])
    # ...nor made negative...
    with pytest.raises((IntegrityError, DatabaseError)):
        _sql("UPDATE market_wallet SET balance = -1 WHERE id = %s", [wallet.pk])
    # ...entries cannot be changed...
    with pytest.raises((IntegrityError, DatabaseError)):
        _sql("UPDATE market_ledgerentry SET amount = 999 WHERE id = %s", [entry.pk])
    # ...an entry that does not follow the balance is refused...
    with pytest.raises((IntegrityError, DatabaseError)):
        _sql(
            "INSERT INTO market_ledgerentry"
            " (wallet_id, amount, balance_after, kind, memo, created_at)"
            " VALUES (%s, 5, 999, 'grant', '', CURRENT_TIMESTAMP)",
            [wallet.pk],
        )
    # ...and one that would go below zero too.
    with pytest.raises((IntegrityError, DatabaseError)):
        _sql(
            "INSERT INTO market_ledgerentry"
            " (wallet_id, amount, balance_after, kind, memo, created_at)"
            " VALUES (%s, -11, -1, 'deduction', '', CURRENT_TIMESTAMP)",
            [wallet.pk],
        )
    # Deleting history: refused (PostgreSQL) or silently ignored (SQLite).
    with contextlib.suppress(IntegrityError, DatabaseError):
        _sql("DELETE FROM market_ledgerentry WHERE id = %s", [entry.pk])
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    # The ORM refuses too.
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        entry.memo = "changed"
        entry.save()
    # A correct entry written by hand is applied by the database itself.
    _sql(
        "INSERT INTO market_ledgerentry (wallet_id, amount, balance_after, kind, memo, created_at)"
        " VALUES (%s, 5, 15, 'grant', 'sql', CURRENT_TIMESTAMP)",
        [wallet.pk],
    )
    assert Wallet.objects.get(pk=wallet.pk).balance == 15
    assert_ledger_consistent()


def test_post_refuses_overdraft_before_the_database(users):
    wallet_id = ledger.wallet_id_for_user(users["buyer"].pk)
    with transaction.atomic():
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        with pytest.raises(ledger.InsufficientBalance):
            ledger.post(wallet, -1, "deduction")


def test_coins_command(users, capsys):
    call_command("coins", "grant", "buyer", "25", "--reason", "活动奖励", "--by", "operator")
    assert "balance 25" in capsys.readouterr().out
    entry = LedgerEntry.objects.get()
    assert entry.created_by == users["operator"] and entry.memo == "活动奖励"
    call_command("coins", "deduct", "buyer", "5", "--reason", "纠正")
    call_command("coins", "balance", "buyer")
    assert "balance 20" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("coins", "deduct", "buyer", "500", "--reason", "x")
    with pytest.raises(CommandError):
        call_command("coins", "grant", "nobody", "5", "--reason", "x")
    call_command("coins", "audit")
    assert "agree" in capsys.readouterr().out


def test_admin_grant_view(client, users):
    client.force_login(users["operator"])
    assert client.get("/admin/market/wallet/grant/").status_code == 200
    response = client.post(
        "/admin/market/wallet/grant/", {"username": "buyer", "amount": "40", "reason": "补偿"}
    )
    assert response.status_code == 302
    assert Wallet.objects.get(user=users["buyer"]).balance == 40
    response = client.post(
        "/admin/market/wallet/grant/", {"username": "buyer", "amount": "-50", "reason": "x"}
    )
    assert response.status_code == 200 and "40" in response.content.decode()
    assert client.get("/admin/market/ledgerentry/").status_code == 200
    assert client.get("/admin/market/wallet/").status_code == 200


def test_admin_pages_render(client, users):
    from .conftest import make_doc

    doc = make_doc(users["uploader"], price=3)
    grant(users["buyer"], 3)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    client.force_login(users["operator"])
    for url in (
        "/admin/market/purchase/",
        "/admin/market/withdrawal/",
        "/admin/market/download/",
        "/admin/market/marketsettings/add/",
        "/admin/market/pricinglock/",
        f"/admin/market/purchase/{Purchase.objects.get().pk}/change/",
    ):
        assert client.get(url).status_code == 200, url
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "价格与免费页数" in html


def test_paywall_texts_in_chinese(client, users):
    from .conftest import make_doc

    doc = make_doc(users["uploader"], price=3, pages=5, preview_pages=1)
    grant(users["buyer"], 1)
    client.force_login(users["buyer"])
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "还剩4页未读" in html and "购买全文（3 金币）" in html and "您的余额：1 金币" in html
    assert "签到" in html and "收益" in html
