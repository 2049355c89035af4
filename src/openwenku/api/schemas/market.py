"""Schemas of the market endpoints. Outputs read model objects and the
services' results; computed fields are resolvers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from ninja import Schema

from openwenku.access import paywall
from openwenku.access.policy import DocumentAccess, preview_limit
from openwenku.documents.models import Document, DocumentPage
from openwenku.market import selectors
from openwenku.market.services import PurchaseResult

from .text import Text


class WalletOut(Schema):
    """Read from the member (``request.user``)."""

    balance: int
    withdrawable: int
    signed_in_today: bool

    @staticmethod
    def resolve_balance(obj: Any) -> int:
        return selectors.balance_of(obj)

    @staticmethod
    def resolve_withdrawable(obj: Any) -> int:
        return selectors.earned_available(obj)

    @staticmethod
    def resolve_signed_in_today(obj: Any) -> bool:
        return selectors.signed_in_today(obj)


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
    idempotency_key: Text = ""
    # The price the buyer was shown: a price changed since answers 409, never a surprise charge.
    expected_price: int


class PurchaseOut(Schema):
    id: int
    document_id: int
    price: int
    created_at: datetime
    balance: int | None = None


class PurchaseResultOut(PurchaseOut):
    """A purchase as ``purchase_create`` answers it: with the buyer's balance after."""

    @staticmethod
    def resolve_id(obj: PurchaseResult) -> int:
        return obj.purchase.pk

    @staticmethod
    def resolve_document_id(obj: PurchaseResult) -> int:
        return obj.purchase.document_id

    @staticmethod
    def resolve_price(obj: PurchaseResult) -> int:
        return obj.purchase.price

    @staticmethod
    def resolve_created_at(obj: PurchaseResult) -> datetime:
        return obj.purchase.created_at


class PageOut(Schema):
    """A readable page; ``free`` is annotated on the query (within the free preview)."""

    number: int
    width: int
    height: int
    image_url: str
    text: str

    @staticmethod
    def resolve_image_url(obj: DocumentPage, context: dict[str, Any]) -> str:
        request = context["request"]
        url = paywall.page_image_url(obj.document, obj.number, request.user, free=obj.free)  # type: ignore[attr-defined]
        return request.build_absolute_uri(url)


@dataclass(frozen=True)
class ReadablePages:
    """What ``AccessOut`` reads: one reader's access to a document and its pages."""

    document: Document
    access: DocumentAccess
    pages: QuerySet[DocumentPage]


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

    @staticmethod
    def resolve_document_id(obj: ReadablePages) -> int:
        return obj.document.pk

    @staticmethod
    def resolve_price(obj: ReadablePages) -> int:
        return obj.document.price

    @staticmethod
    def resolve_page_count(obj: ReadablePages) -> int:
        return obj.document.page_count

    @staticmethod
    def resolve_free_pages(obj: ReadablePages) -> int:
        return obj.access.free_pages

    @staticmethod
    def resolve_visible_pages(obj: ReadablePages) -> int:
        return obj.access.visible_pages

    @staticmethod
    def resolve_hidden_pages(obj: ReadablePages) -> int:
        return obj.access.hidden_pages

    @staticmethod
    def resolve_can_download(obj: ReadablePages) -> bool:
        return obj.access.can_download

    @staticmethod
    def resolve_needs(obj: ReadablePages) -> str:
        return obj.access.needs

    @staticmethod
    def resolve_purchased(obj: ReadablePages) -> bool:
        return obj.access.purchased


class PricingIn(Schema):
    price: int
    preview_pages: int | None = None


class PricingOut(Schema):
    document_id: int
    price: int
    preview_pages: int | None
    free_pages: int

    @staticmethod
    def resolve_document_id(obj: Document) -> int:
        return obj.pk

    @staticmethod
    def resolve_free_pages(obj: Document) -> int:
        return preview_limit(obj)


class WithdrawalIn(Schema):
    amount: int
    account: Text
    idempotency_key: Text = ""


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
    """Read from a document annotated by ``selectors.earnings_by_document``."""

    id: int
    title: str
    price: int
    views: int
    downloads: int
    sales: int
    earned: int

    @staticmethod
    def resolve_views(obj: Document) -> int:
        return obj.view_count

    @staticmethod
    def resolve_downloads(obj: Document) -> int:
        return obj.download_count


class DayOut(Schema):
    day: date
    coins: int
    downloads: int
    views: int


@dataclass(frozen=True)
class EarningsReport:
    """What ``EarningsOut`` reads: an uploader's totals, documents and days."""

    totals: Mapping[str, Any]  # selectors.earnings_totals()
    documents: list[Document]
    days: list[selectors.DayPoint]


class EarningsOut(Schema):
    earned: int
    balance: int
    withdrawable: int
    pending: int
    paid: int
    documents: list[EarningDocOut]
    days: list[DayOut]

    @staticmethod
    def resolve_earned(obj: EarningsReport) -> int:
        return obj.totals["earned"]

    @staticmethod
    def resolve_balance(obj: EarningsReport) -> int:
        return obj.totals["balance"]

    @staticmethod
    def resolve_withdrawable(obj: EarningsReport) -> int:
        return obj.totals["withdrawable"]

    @staticmethod
    def resolve_pending(obj: EarningsReport) -> int:
        return obj.totals["pending"]

    @staticmethod
    def resolve_paid(obj: EarningsReport) -> int:
        return obj.totals["paid"]
