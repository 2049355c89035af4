"""Market API (mounted at /api/market/): wallet, purchases, readable pages,
pricing, withdrawals, earnings. Thin over services and selectors.

Pages past the free preview never appear here for a reader without the right
to them: not their text, not their image URL, not their number."""

from __future__ import annotations

from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema, Status

from openwenku.access import paywall
from openwenku.access.policy import Action, access_for
from openwenku.access.selectors import document_for_reader
from openwenku.api.auth import OPTIONAL_AUTH
from openwenku.documents.models import Document

from . import selectors, services

router = Router(tags=["market"])


class ErrorOut(Schema):
    detail: str
    code: str = "refused"


class InsufficientOut(ErrorOut):
    balance: int
    price: int


class WalletOut(Schema):
    balance: int
    withdrawable: int
    signed_in_today: bool


class EntryOut(Schema):
    id: int
    kind: str
    amount: int
    balance_after: int
    document_id: int | None
    memo: str
    created_at: datetime


class PurchaseIn(Schema):
    document_id: int
    idempotency_key: str = ""
    expected_price: int | None = None


class PurchaseOut(Schema):
    id: int
    document_id: int
    price: int
    created_at: datetime
    balance: int | None = None


class PageOut(Schema):
    number: int
    width: int
    height: int
    image_url: str
    text: str


class AccessOut(Schema):
    document_id: int
    price: int
    page_count: int
    free_pages: int
    visible_pages: int
    hidden_pages: int
    can_download: bool
    needs: str
    purchased: bool
    pages: list[PageOut]


class PricingIn(Schema):
    price: int
    preview_pages: int | None = None


class PricingOut(Schema):
    document_id: int
    price: int
    preview_pages: int | None
    free_pages: int


class WithdrawalIn(Schema):
    amount: int
    account: str
    idempotency_key: str = ""


class WithdrawalOut(Schema):
    id: int
    amount: int
    status: str
    created_at: datetime
    decided_at: datetime | None


class SignInOut(Schema):
    reward: int
    balance: int


class EarningDocOut(Schema):
    id: int
    title: str
    price: int
    views: int
    downloads: int
    sales: int
    earned: int


class DayOut(Schema):
    day: date
    coins: int
    downloads: int
    views: int


class EarningsOut(Schema):
    earned: int
    balance: int
    withdrawable: int
    pending: int
    paid: int
    documents: list[EarningDocOut]
    days: list[DayOut]


def _key(request, body_key: str) -> str:
    return body_key or request.headers.get("Idempotency-Key", "")


@router.get("wallet", response=WalletOut)
def wallet(request):
    return {
        "balance": selectors.balance_of(request.user),
        "withdrawable": selectors.earned_available(request.user),
        "signed_in_today": selectors.signed_in_today(request.user),
    }


@router.get("ledger", response=list[EntryOut])
def ledger(request, page: int = 1):
    page = max(1, page)
    return list(selectors.ledger_of(request.user)[(page - 1) * 50 : page * 50])


@router.post("signin", response={200: SignInOut, 409: ErrorOut})
def signin(request):
    try:
        reward = services.signin_claim(user=request.user)
    except services.AlreadySignedIn as exc:
        return Status(409, {"detail": exc.message, "code": exc.code})
    return {"reward": reward, "balance": selectors.balance_of(request.user)}


@router.post(
    "purchases",
    response={
        200: PurchaseOut,
        201: PurchaseOut,
        400: ErrorOut,
        402: InsufficientOut,
        404: ErrorOut,
        409: ErrorOut,
    },
)
def purchase(request, payload: PurchaseIn):
    """Buy a document. Send an idempotency key (body or ``Idempotency-Key``
    header): a retry answers with the same purchase and charges nothing."""
    document, _access = document_for_reader(request.user, payload.document_id)
    try:
        result = services.purchase_create(
            buyer=request.user,
            document=document,
            idempotency_key=_key(request, payload.idempotency_key),
            expected_price=payload.expected_price,
        )
    except services.InsufficientCoins as exc:
        return Status(
            402,
            {"detail": exc.message, "code": exc.code, "balance": exc.balance, "price": exc.price},
        )
    except services.IdempotencyConflict as exc:
        return Status(409, {"detail": exc.message, "code": exc.code})
    except services.MarketRefused as exc:
        return Status(400, {"detail": exc.message, "code": exc.code})
    p = result.purchase
    body = {
        "id": p.pk,
        "document_id": p.document_id,
        "price": p.price,
        "created_at": p.created_at,
        "balance": result.balance,
    }
    return Status(201 if result.created else 200, body)


@router.get("purchases", response=list[PurchaseOut])
def purchases(request):
    return list(selectors.purchases_of(request.user)[:500])


@router.get(
    "documents/{int:document_id}/pages",
    response={200: AccessOut, 404: ErrorOut},
    auth=OPTIONAL_AUTH,
)
def readable_pages(request, document_id: int):
    """The pages this reader may read, with their text and signed image URLs."""
    document, access = document_for_reader(request.user, document_id)
    if not access.published:
        raise Http404
    pages = document.pages.filter(number__lte=access.visible_pages).only(
        "document_id", "number", "width", "height", "text"
    )
    return {
        "document_id": document.pk,
        "price": document.price,
        "page_count": document.page_count,
        "free_pages": access.free_pages,
        "visible_pages": access.visible_pages,
        "hidden_pages": access.hidden_pages,
        "can_download": access.can_download,
        "needs": access.needs,
        "purchased": access.purchased,
        "pages": [
            {
                "number": p.number,
                "width": p.width,
                "height": p.height,
                "image_url": request.build_absolute_uri(
                    paywall.page_image_url(
                        document, p.number, request.user, free=p.number <= access.free_pages
                    )
                ),
                "text": p.text,
            }
            for p in pages
        ],
    }


@router.put(
    "documents/{int:document_id}/pricing",
    response={200: PricingOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def set_pricing(request, document_id: int, payload: PricingIn):
    document, _access = document_for_reader(request.user, document_id, Action.MANAGE)
    try:
        document = services.pricing_set(
            document=document,
            by=request.user,
            price=payload.price,
            preview_pages=payload.preview_pages,
        )
    except services.MarketRefused as exc:
        return Status(400, {"detail": exc.message, "code": exc.code})
    except ValueError as exc:
        return Status(400, {"detail": str(exc), "code": "invalid"})
    return {
        "document_id": document.pk,
        "price": document.price,
        "preview_pages": document.preview_pages,
        "free_pages": access_for(request.user, document).free_pages,
    }


@router.post("withdrawals", response={200: WithdrawalOut, 201: WithdrawalOut, 400: ErrorOut})
def withdraw(request, payload: WithdrawalIn):
    try:
        result = services.withdrawal_request(
            user=request.user,
            amount=payload.amount,
            account=payload.account,
            idempotency_key=_key(request, payload.idempotency_key),
        )
    except services.MarketRefused as exc:
        return Status(400, {"detail": exc.message, "code": exc.code})
    return Status(201 if result.created else 200, result.withdrawal)


@router.get("withdrawals", response=list[WithdrawalOut])
def withdrawals(request):
    return list(selectors.withdrawals_of(request.user)[:200])


@router.get("earnings", response=EarningsOut)
def earnings(request, days: int = 30):
    days = min(max(days, 1), 366)
    totals = selectors.earnings_totals(request.user)
    docs: list[Document] = list(selectors.earnings_by_document(request.user)[:500])
    return {
        **{k: totals[k] for k in ("earned", "balance", "withdrawable", "pending", "paid")},
        "documents": [
            {
                "id": d.pk,
                "title": d.title,
                "price": d.price,
                "views": d.view_count,
                "downloads": d.download_count,
                "sales": d.sales,
                "earned": d.earned,
            }
            for d in docs
        ],
        "days": [vars(p) for p in selectors.earnings_over_time(request.user, days)],
    }
