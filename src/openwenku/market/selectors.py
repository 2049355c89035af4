"""Reads: settings, balances, ledgers, earnings. Who may read or download what
is ``openwenku.access``'s business."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.conf import settings
from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from openwenku.documents.models import Document

from .models import (
    DocumentDay,
    LedgerEntry,
    MarketSettings,
    Purchase,
    SaleFreeze,
    SignIn,
    VipMembership,
    VipPlan,
    Wallet,
    Withdrawal,
)

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def market_settings() -> MarketSettings:
    return MarketSettings.current()


# --- Balances --------------------------------------------------------------------


def balance_of(user: User) -> int:
    return Wallet.objects.filter(user_id=user.pk).values_list("balance", flat=True).first() or 0


def earned_available(user: User) -> int:
    """Coins the member may withdraw: sales income not yet withdrawn, within the balance.

    Income of a sale younger than the hold (``OPENWENKU_SALE_HOLD_DAYS``) or
    flagged for review is not withdrawable yet (see ``pending_sales_of``).

    Rewards and grants can be spent on documents but not paid out.
    """
    wallet = Wallet.objects.filter(user_id=user.pk).first()
    if wallet is None:
        return 0
    return _withdrawable(wallet)


# Ledger kinds that are a seller's income from a sale (a buyer's coins, or the
# site's for a VIP download): withdrawable after the hold, shown as earnings.
SALE_INCOME_KINDS = (LedgerEntry.Kind.SALE, LedgerEntry.Kind.VIP_PAYOUT)


def sale_hold() -> dt.timedelta:
    """How long sale income waits before it may be withdrawn."""
    return dt.timedelta(days=max(0, settings.OPENWENKU["SALE_HOLD_DAYS"]))


def _sale_pending() -> Q:
    """Ledger entries of sales whose income is not withdrawable yet: younger
    than the hold, or waiting for an operator's review."""
    return (
        Q(purchase__created_at__gt=timezone.now() - sale_hold())
        | Q(purchase__review=Purchase.Review.FLAGGED)
        # Sales of a document taken down for cause stay frozen while it is down.
        | Q(purchase__document_id__in=SaleFreeze.objects.values("document_id"))
    )


def _withdrawable(wallet: Wallet) -> int:
    # A sale and its refund are both pending or both not (same purchase), so a
    # refunded sale nets to zero either way.
    pending = _sale_pending()
    sums = LedgerEntry.objects.filter(wallet=wallet).aggregate(
        sales=Coalesce(Sum("amount", filter=Q(kind__in=SALE_INCOME_KINDS) & ~pending), 0),
        sale_refunds=Coalesce(
            Sum("amount", filter=Q(kind="refund", amount__lt=0) & ~pending), 0
        ),  # refunds taken back from the seller
        held=Coalesce(Sum("amount", filter=Q(kind="withdrawal_hold")), 0),
        returned=Coalesce(Sum("amount", filter=Q(kind="withdrawal_returned")), 0),
    )
    earned = sums["sales"] + sums["sale_refunds"] + sums["held"] + sums["returned"]
    return max(0, min(wallet.balance, earned))


@dataclass(frozen=True)
class PendingSales:
    """Sale income not withdrawable yet: on hold until a date, or under review."""

    on_hold: int
    under_review: int
    next_release_at: dt.datetime | None
    # Income from sales of documents taken down for cause (frozen while down).
    frozen: int = 0


def pending_sales_of(user: User) -> PendingSales:
    active = Purchase.objects.filter(seller_id=user.pk, refunded_at__isnull=True)
    since = timezone.now() - sale_hold()
    income = F("price") - F("commission") + F("vip_payout")
    review = active.filter(review=Purchase.Review.FLAGGED).aggregate(n=Coalesce(Sum(income), 0))[
        "n"
    ]
    young = active.filter(created_at__gt=since).exclude(review=Purchase.Review.FLAGGED)
    hold = young.aggregate(n=Coalesce(Sum(income), 0), first=Min("created_at"))
    first = hold["first"]
    frozen = active.filter(document_id__in=SaleFreeze.objects.values("document_id")).aggregate(
        n=Coalesce(Sum(income), 0)
    )["n"]
    return PendingSales(
        on_hold=hold["n"],
        under_review=review,
        next_release_at=first + sale_hold() if first else None,
        frozen=frozen,
    )


def signed_in_today(user: User) -> bool:
    return SignIn.objects.filter(user_id=user.pk, day=timezone.localdate()).exists()


def ledger_of(user: User) -> QuerySet[LedgerEntry]:
    return (
        LedgerEntry.objects.filter(wallet__user_id=user.pk)
        .select_related("purchase")
        .order_by("-id")
    )


def purchases_of(user: User) -> QuerySet[Purchase]:
    return (
        Purchase.objects.filter(buyer_id=user.pk, refunded_at__isnull=True)
        .select_related("document")
        .order_by("-created_at")
    )


def withdrawals_of(user: User) -> QuerySet[Withdrawal]:
    return Withdrawal.objects.filter(user_id=user.pk).order_by("-created_at")


# --- Earnings ----------------------------------------------------------------------


def earnings_by_document(user: User) -> QuerySet[Document]:
    """The uploader's documents with views, downloads, sales and coins earned."""
    sales = (
        LedgerEntry.objects.filter(
            wallet__user_id=user.pk,
            document_id=OuterRef("pk"),
            kind__in=[*SALE_INCOME_KINDS, "refund"],
        )
        .order_by()
        .values("document_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    sold = (
        Purchase.objects.filter(document_id=OuterRef("pk"), refunded_at__isnull=True)
        .order_by()
        .values("document_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Document.objects.filter(owner_id=user.pk)
        .annotate(
            earned=Coalesce(Subquery(sales, output_field=IntegerField()), Value(0)),
            sales=Coalesce(Subquery(sold, output_field=IntegerField()), Value(0)),
        )
        .order_by("-earned", "-download_count", "-created_at")
    )


@dataclass
class DayPoint:
    day: dt.date
    coins: int = 0
    downloads: int = 0
    views: int = 0


def earnings_over_time(user: User, days: int = 30) -> list[DayPoint]:
    """One point a day for the last ``days`` days (local dates), oldest first."""
    today = timezone.localdate()
    start = today - dt.timedelta(days=days - 1)
    points = {
        start + dt.timedelta(days=i): DayPoint(start + dt.timedelta(days=i)) for i in range(days)
    }
    start_at = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    coins = (
        LedgerEntry.objects.filter(
            wallet__user_id=user.pk,
            kind__in=[*SALE_INCOME_KINDS, "refund"],
            created_at__gte=start_at,
        )
        .exclude(kind="refund", amount__gt=0)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in coins:
        if row["day"] in points:
            points[row["day"]].coins = row["total"]
    stats = (
        DocumentDay.objects.filter(document__owner_id=user.pk, day__gte=start)
        .values("day")
        .annotate(v=Sum("views"), d=Sum("downloads"))
        .order_by()
    )
    for stat in stats:
        if stat["day"] in points:
            points[stat["day"]].views = stat["v"] or 0
            points[stat["day"]].downloads = stat["d"] or 0
    return list(points.values())


class EarningsTotals(TypedDict):
    balance: int
    earned: int
    withdrawable: int
    pending: int
    paid: int
    views: int
    downloads: int
    count: int


def earnings_totals(user: User) -> EarningsTotals:
    """The uploader's totals: coins earned, held, paid out; views and downloads."""
    wallet = Wallet.objects.filter(user_id=user.pk).first()
    sums = LedgerEntry.objects.filter(wallet__user_id=user.pk).aggregate(
        earned=Coalesce(Sum("amount", filter=Q(kind__in=SALE_INCOME_KINDS)), 0),
        taken_back=Coalesce(Sum("amount", filter=Q(kind="refund", amount__lt=0)), 0),
    )
    pending = Withdrawal.objects.filter(user_id=user.pk, status=Withdrawal.Status.PENDING)
    paid = Withdrawal.objects.filter(user_id=user.pk, status=Withdrawal.Status.APPROVED)
    docs = Document.objects.filter(owner_id=user.pk).aggregate(
        views=Coalesce(Sum("view_count"), 0),
        downloads=Coalesce(Sum("download_count"), 0),
        count=Count("pk"),
    )
    return {
        "balance": wallet.balance if wallet else 0,
        "earned": sums["earned"] + sums["taken_back"],
        "withdrawable": _withdrawable(wallet) if wallet else 0,
        "pending": pending.aggregate(s=Coalesce(Sum("amount"), 0))["s"],
        "paid": paid.aggregate(s=Coalesce(Sum("amount"), 0))["s"],
        "views": docs["views"],
        "downloads": docs["downloads"],
        "count": docs["count"],
    }


def purchase_totals() -> tuple[int, int]:
    """Purchases on the site (refunds excluded) and the coins paid for them."""
    figures = Purchase.objects.filter(refunded_at__isnull=True).aggregate(
        n=Count("id"), coins=Coalesce(Sum("price"), 0)
    )
    return figures["n"], figures["coins"]


# --- VIP ---------------------------------------------------------------------------


def vip_day_start() -> dt.datetime:
    """The start of today (local time): VIP quotas count from here."""
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def vip_used_today(user: User, *, since: dt.datetime | None = None) -> int:
    """The member's VIP downloads today (refunded ones still count)."""
    since = vip_day_start() if since is None else since
    return Purchase.objects.filter(buyer_id=user.pk, via_vip=True, created_at__gte=since).count()


def vip_plans_for_sale() -> QuerySet[VipPlan]:
    return VipPlan.objects.filter(active=True).order_by("position", "days", "pk")


@dataclass(frozen=True)
class VipStatus:
    """A member's VIP state for the member centre and the document page."""

    membership: VipMembership | None
    active: bool
    used_today: int
    quota: int

    @property
    def plan(self) -> VipPlan | None:
        return self.membership.plan if self.membership else None

    @property
    def ends_at(self) -> dt.datetime | None:
        return self.membership.ends_at if self.membership else None

    @property
    def left_today(self) -> int:
        return max(0, self.quota - self.used_today) if self.active else 0


def vip_status(user: User) -> VipStatus:
    membership = VipMembership.objects.select_related("plan").filter(user_id=user.pk).first()
    active = membership is not None and membership.ends_at > timezone.now()
    quota = membership.plan.downloads_per_day if membership is not None and active else 0
    used = vip_used_today(user) if active else 0
    return VipStatus(membership=membership, active=active, used_today=used, quota=quota)
