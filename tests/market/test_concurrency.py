"""Money under concurrency: real threads, each with its own database
connection, against the real database (SQLite file or PostgreSQL)."""

import threading

import pytest
from django.db import connection

from openwenku.documents.models import Document
from openwenku.market import services
from openwenku.market.models import LedgerEntry, MarketSettings, Purchase, Wallet, Withdrawal
from openwenku.market.selectors import balance_of

from .conftest import grant, make_doc
from .test_ledger import assert_ledger_consistent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def run_concurrently(n, fn):
    """Run fn(i) in n threads released together; return [(ok, value_or_exception)]."""
    barrier = threading.Barrier(n)
    results = [None] * n

    def work(i):
        try:
            barrier.wait(timeout=30)
            results[i] = (True, fn(i))
        except Exception as exc:  # recorded and asserted on by the test
            results[i] = (False, exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert all(not t.is_alive() for t in threads)
    return results


def test_fifty_purchases_of_different_documents_with_balance_for_ten(users, django_user_model):
    sellers = [users["uploader"], users["other"], users["operator"]]
    docs = [make_doc(sellers[i % 3], price=3, pages=1, title=f"文档{i}.pdf") for i in range(50)]
    # Operators download free; a non-staff seller instead for the third.
    third = django_user_model.objects.create_user(username="seller3", password="x")
    Document.objects.filter(owner=users["operator"]).update(owner=third)
    buyer = users["buyer"]
    grant(buyer, 30)

    results = run_concurrently(
        50,
        lambda i: services.purchase_create(
            buyer=buyer, document=Document.objects.get(pk=docs[i].pk), idempotency_key=f"k{i}"
        ),
    )
    ok = [r for good, r in results if good]
    refused = [r for good, r in results if not good]
    assert len(ok) == 10 and all(r.created for r in ok)
    assert len(refused) == 40
    assert all(isinstance(e, services.InsufficientCoins) for e in refused), refused[:3]
    assert balance_of(buyer) == 0
    assert Purchase.objects.count() == 10
    earned = sum(balance_of(u) for u in (users["uploader"], users["other"], third))
    assert earned == 30
    assert_ledger_consistent()


def test_twenty_retries_of_one_purchase_make_one_purchase(users):
    doc = make_doc(users["uploader"], price=5, pages=1)
    buyer = users["buyer"]
    grant(buyer, 100)
    results = run_concurrently(
        20,
        lambda i: services.purchase_create(
            buyer=buyer, document=Document.objects.get(pk=doc.pk), idempotency_key="one-key"
        ),
    )
    assert all(good for good, _ in results), [r for good, r in results if not good][:3]
    ids = {r.purchase.pk for _, r in results}
    assert len(ids) == 1
    assert sum(1 for _, r in results if r.created) == 1
    assert Purchase.objects.count() == 1
    assert balance_of(buyer) == 95 and balance_of(users["uploader"]) == 5
    assert LedgerEntry.objects.filter(kind="purchase").count() == 1
    assert_ledger_consistent()


def test_purchases_racing_withdrawals_stay_consistent(users):
    MarketSettings(min_withdrawal=10).save()
    seller = users["uploader"]
    # The seller earns 100 coins from sales (withdrawable), then races to spend and withdraw.
    for i in range(4):
        grant(users["buyer"], 25)
        d = make_doc(seller, price=25, pages=1, title=f"售出{i}.pdf")
        services.purchase_create(buyer=users["buyer"], document=d, idempotency_key=f"s{i}")
    assert balance_of(seller) == 100
    targets = [make_doc(users["other"], price=30, pages=1, title=f"目标{i}.pdf") for i in range(5)]

    def act(i):
        if i % 2 == 0:
            return services.purchase_create(
                buyer=seller,
                document=Document.objects.get(pk=targets[i // 2].pk),
                idempotency_key=f"p{i}",
            )
        return services.withdrawal_request(
            user=seller, amount=30, account="支付宝 wang@example.com", idempotency_key=f"w{i}"
        )

    results = run_concurrently(10, act)
    ok = [r for good, r in results if good]
    refused = [r for good, r in results if not good]
    assert all(isinstance(e, services.MarketRefused) for e in refused), refused[:3]
    assert len(ok) == 3  # 3 × 30 ≤ 100 < 4 × 30
    held = Withdrawal.objects.filter(status="pending").count() * 30
    bought = Purchase.objects.filter(buyer=seller).count() * 30
    assert held + bought == 90
    assert balance_of(seller) == 10
    assert Wallet.objects.get(kind="held").balance == held
    assert_ledger_consistent()


def test_concurrent_signins_reward_once(users):
    results = run_concurrently(10, lambda i: services.signin_claim(user=users["buyer"]))
    assert sum(1 for good, _ in results if good) == 1
    assert balance_of(users["buyer"]) == 1
    assert_ledger_consistent()
