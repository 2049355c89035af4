"""The market's refusals on the error contract: a stable code, an HTTP status,
machine fields, a message rendered in the reader's language when it is shown.
Pricing rules are the document's, who may set a price is the market's."""

import re

import pytest
from django.test import Client
from django.utils import translation

from openwenku.core.errors import ApplicationError, Forbidden
from openwenku.documents.services import (
    MAX_PRICE,
    PricingRefused,
    UploadRefused,
    incoming_from_path,
)
from openwenku.market import services
from openwenku.market.models import MarketSettings, PricingLock

from .conftest import age_sales, grant, make_doc

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

CJK = re.compile(r"[\u4e00-\u9fff]")


def refusal(call) -> ApplicationError:
    with pytest.raises(ApplicationError) as info:
        call()
    return info.value


def test_refusals_carry_code_status_and_machine_fields(users):
    doc = make_doc(users["uploader"], price=7)
    grant(users["buyer"], 3)
    short = refusal(
        lambda: services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    )
    assert isinstance(short, services.InsufficientCoins)
    assert isinstance(short, services.MarketRefused)  # the family still catches it
    assert (short.code, short.status) == ("insufficient_balance", 402)
    assert short.as_dict() | {"detail": ""} == {
        "code": "insufficient_balance",
        "detail": "",
        "balance": 3,
        "price": 7,
    }

    grant(users["buyer"], 10)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    other = make_doc(users["uploader"], price=2)
    reused = refusal(
        lambda: services.purchase_create(buyer=users["buyer"], document=other, idempotency_key="k")
    )
    assert (reused.code, reused.status) == ("idempotency_conflict", 409)

    services.signin_claim(user=users["buyer"])
    again = refusal(lambda: services.signin_claim(user=users["buyer"]))
    assert (again.code, again.status) == ("already_signed_in", 409)

    no_key = refusal(
        lambda: services.purchase_create(buyer=users["buyer"], document=other, idempotency_key=" ")
    )
    assert (no_key.code, no_key.status) == ("refused", 400)


def test_messages_are_rendered_when_shown_not_when_raised(users):
    doc = make_doc(users["uploader"], price=7)
    with translation.override("zh-hans"):
        short = refusal(
            lambda: services.purchase_create(
                buyer=users["buyer"], document=doc, idempotency_key="k"
            )
        )
        too_little = refusal(
            lambda: services.withdrawal_request(
                user=users["uploader"], amount=1, account="支付宝", idempotency_key="w"
            )
        )
    with translation.override("en"):
        assert short.message == "Not enough coins: your balance is 0, this costs 7."
        assert too_little.message == "The minimum withdrawal is 100 coins."
        assert str(too_little) == too_little.message


def test_price_rules_belong_to_the_document(users):
    doc = make_doc(users["uploader"], price=5)
    cases = [
        ({"price": -1, "preview_pages": None}, "price_negative"),
        ({"price": MAX_PRICE + 1, "preview_pages": None}, "price_too_high"),
        ({"price": 5, "preview_pages": 0}, "preview_pages_invalid"),
    ]
    for args, code in cases:
        error = refusal(
            lambda args=args: services.pricing_set(document=doc, by=users["uploader"], **args)
        )
        assert isinstance(error, PricingRefused)
        assert (error.code, error.status) == (code, 400)
        with translation.override("en"):
            assert not CJK.search(error.message), error.message
    doc.refresh_from_db()
    assert doc.price == 5


def test_who_may_set_a_price_is_the_markets(users):
    doc = make_doc(users["uploader"], price=5)
    stranger = refusal(
        lambda: services.pricing_set(document=doc, by=users["buyer"], price=1, preview_pages=None)
    )
    assert isinstance(stranger, Forbidden) and stranger.status == 403
    services.pricing_set(
        document=doc, by=users["operator"], price=9, preview_pages=None, lock=True, reason="x"
    )
    assert PricingLock.objects.filter(document=doc).exists()
    locked = refusal(
        lambda: services.pricing_set(
            document=doc, by=users["uploader"], price=1, preview_pages=None
        )
    )
    assert (locked.code, locked.status) == ("refused", 400)
    doc.refresh_from_db()
    assert doc.price == 9


def test_only_operators_decide_withdrawals(users):
    MarketSettings(min_withdrawal=1).save()
    doc = make_doc(users["uploader"], price=5)
    grant(users["buyer"], 5)
    services.purchase_create(buyer=users["buyer"], document=doc, idempotency_key="k")
    age_sales()
    held = services.withdrawal_request(
        user=users["uploader"], amount=5, account="支付宝", idempotency_key="w"
    ).withdrawal
    error = refusal(lambda: services.withdrawal_approve(withdrawal=held, by=users["uploader"]))
    assert isinstance(error, Forbidden) and error.status == 403


def test_api_answers_with_the_refusals_code_and_status(users):
    client = Client()
    client.force_login(users["buyer"])
    doc = make_doc(users["uploader"], price=7)
    response = client.post(
        "/api/market/purchases",
        {"document_id": doc.pk, "idempotency_key": "k", "expected_price": 7},
        content_type="application/json",
    )
    assert response.status_code == 402
    body = response.json()
    assert (body["code"], body["balance"], body["price"]) == ("insufficient_balance", 0, 7)


def test_upload_refusals_are_on_the_contract(tmp_path):
    error = UploadRefused("why")
    assert (error.code, error.status, error.message) == ("upload_refused", 400, "why")
    empty = tmp_path / "空.docx"
    empty.write_bytes(b"")
    with pytest.raises(UploadRefused) as info:
        incoming_from_path(empty)
    with translation.override("en"):
        assert info.value.message == "“空.docx” is empty (0 bytes) and cannot be uploaded."
