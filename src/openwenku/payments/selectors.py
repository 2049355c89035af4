"""Reads of packages and orders."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate

from .config import yuan
from .models import CoinPackage, Order

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def packages_on_sale() -> QuerySet[CoinPackage]:
    return CoinPackage.objects.filter(active=True).order_by("position", "price_fen")


def orders_of(user: User) -> QuerySet[Order]:
    return Order.objects.filter(member=user).select_related("package").order_by("-id")


def totals_per_day(orders: QuerySet[Order]) -> list[dict[str, object]]:
    """Per local day: orders, money received (fen) and coins credited, of paid orders."""
    paid = orders.filter(state__in=[Order.State.CREDITED, Order.State.REFUNDED])
    rows = list(
        paid.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"), fen=Sum("amount_fen"), coins=Sum("coins"))
        .order_by("-day")
    )
    return [{**row, "yuan": yuan(int(row["fen"] or 0))} for row in rows]
