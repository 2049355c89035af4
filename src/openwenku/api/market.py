"""Market API (mounted at /api/market/): wallet, purchases, readable pages,
pricing, withdrawals, earnings. Thin over the market services and selectors and
the access layer; refusals propagate to the one mapping in ``api.urls``.

Pages past the free preview never appear here for a reader without the right
to them: not their text, not their image URL, not their number."""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from openwenku.access.policy import AccessDenied, Action, Reason
from openwenku.access.selectors import document_for_reader
from openwenku.accounts.types import AuthenticatedRequest, User
from openwenku.documents.models import Document
from openwenku.market import selectors, services
from openwenku.market.models import LedgerEntry, Purchase, Withdrawal
from openwenku.market.services import PurchaseResult

from .auth import MONEY_AUTH, OPTIONAL_AUTH, UPLOAD_AUTH
from .pagination import ListPagination
from .schemas.errors import errors
from .schemas.market import (
    AccessOut,
    EarningsOut,
    EarningsReport,
    EntryOut,
    PricingIn,
    PricingOut,
    PurchaseIn,
    PurchaseOut,
    PurchaseResultOut,
    ReadablePages,
    SignInOut,
    WalletOut,
    WithdrawalIn,
    WithdrawalOut,
)

router = Router(tags=["market"])


def _key(request: HttpRequest, body_key: str) -> str:
    return body_key or request.headers.get("Idempotency-Key", "")


@router.get("wallet", response={200: WalletOut, **errors(401, 403)})
def wallet(request: AuthenticatedRequest) -> User:
    return request.user


@router.get("ledger", response={200: list[EntryOut], **errors(401, 403)})
@paginate(ListPagination, page_size=50)
def ledger(request: AuthenticatedRequest) -> QuerySet[LedgerEntry]:
    """Your wallet's entries, newest first, 50 a page (``?page=``)."""
    return selectors.ledger_of(request.user)


@router.post("signin", auth=MONEY_AUTH, response={200: SignInOut, **errors(401, 403, 409)})
def signin(request: AuthenticatedRequest) -> SignInOut:
    reward = services.signin_claim(user=request.user)
    return SignInOut(reward=reward, balance=selectors.balance_of(request.user))


@router.post(
    "purchases",
    auth=MONEY_AUTH,
    response={
        200: PurchaseResultOut,
        201: PurchaseResultOut,
        **errors(400, 401, 402, 403, 404, 409),
    },
)
def purchase(request: AuthenticatedRequest, payload: PurchaseIn) -> Status[PurchaseResult]:
    """Buy a document. Send an idempotency key (body or ``Idempotency-Key``
    header): a retry answers with the same purchase and charges nothing."""
    document, access = document_for_reader(request.user, payload.document_id)
    if not access.purchased:  # a document bought already answers with its purchase
        access.check(Action.BUY)
    result = services.purchase_create(
        buyer=request.user,
        document=document,
        idempotency_key=_key(request, payload.idempotency_key),
        expected_price=payload.expected_price,
    )
    return Status(201 if result.created else 200, result)


@router.get("purchases", response={200: list[PurchaseOut], **errors(401, 403)})
@paginate(ListPagination, page_size=500)
def purchases(request: AuthenticatedRequest) -> QuerySet[Purchase]:
    """Your purchases (not refunded), newest first, 500 a page (``?page=``)."""
    return selectors.purchases_of(request.user)


@router.get(
    "documents/{int:document_id}/pages",
    response={200: AccessOut, **errors(403, 404)},
    auth=OPTIONAL_AUTH,
)
def readable_pages(request: HttpRequest, document_id: int) -> ReadablePages:
    """The pages this reader may read, with their text and signed image URLs."""
    document, access = document_for_reader(request.user, document_id)
    # Pages are read on published documents only, even by managers; a buyer keeps
    # what they bought when it is unpublished.
    if not access.published and not access.kept_for_buyer:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    free = ExpressionWrapper(Q(number__lte=access.free_pages), output_field=BooleanField())
    pages = (
        document.pages.filter(number__lte=access.visible_pages)
        .annotate(free=free)
        .only("document_id", "number", "width", "height", "text")
    )
    return ReadablePages(document=document, access=access, pages=pages)


@router.put(
    "documents/{int:document_id}/pricing",
    auth=UPLOAD_AUTH,
    response={200: PricingOut, **errors(400, 401, 403, 404)},
)
def set_pricing(request: AuthenticatedRequest, document_id: int, payload: PricingIn) -> Document:
    document, _access = document_for_reader(request.user, document_id, Action.MANAGE)
    return services.pricing_set(
        document=document,
        by=request.user,
        price=payload.price,
        preview_pages=payload.preview_pages,
    )


@router.post(
    "withdrawals",
    auth=MONEY_AUTH,
    response={200: WithdrawalOut, 201: WithdrawalOut, **errors(400, 401, 403, 409)},
)
def withdraw(request: AuthenticatedRequest, payload: WithdrawalIn) -> Status[Withdrawal]:
    result = services.withdrawal_request(
        user=request.user,
        amount=payload.amount,
        account=payload.account,
        idempotency_key=_key(request, payload.idempotency_key),
    )
    return Status(201 if result.created else 200, result.withdrawal)


@router.get("withdrawals", response={200: list[WithdrawalOut], **errors(401, 403)})
@paginate(ListPagination, page_size=200)
def withdrawals(request: AuthenticatedRequest) -> QuerySet[Withdrawal]:
    """Your withdrawal requests, newest first, 200 a page (``?page=``)."""
    return selectors.withdrawals_of(request.user)


@router.get("earnings", response={200: EarningsOut, **errors(401, 403)})
def earnings(request: AuthenticatedRequest, days: int = 30) -> EarningsReport:
    days = min(max(days, 1), 366)
    return EarningsReport(
        totals=selectors.earnings_totals(request.user),
        documents=list(selectors.earnings_by_document(request.user)[:500]),
        days=selectors.earnings_over_time(request.user, days),
    )
