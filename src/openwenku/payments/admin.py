"""Operators' side: coin packages; orders with filters, totals per day,
refunds (``payments.refund_order``) and crediting a flagged order after a look."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openwenku.accounts.types import User

from . import selectors, services
from .models import CoinPackage, Order


def _operator(request: HttpRequest) -> User:
    if not isinstance(request.user, User) or not request.user.is_staff:
        raise PermissionDenied
    return request.user


@admin.register(CoinPackage)
class CoinPackageAdmin(admin.ModelAdmin[CoinPackage]):
    list_display = ["name", "price_fen", "coins", "bonus_coins", "position", "active"]
    list_editable = ["position", "active"]
    ordering = ["position", "price_fen"]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin[Order]):
    list_display = [
        "number",
        "member",
        "amount_yuan",
        "coins",
        "provider",
        "state",
        "provider_trade_no",
        "created_at",
        "credited_at",
    ]
    list_filter = ["state", "provider", "created_at"]
    search_fields = ["number", "provider_trade_no", "member__username"]
    date_hierarchy = "created_at"
    list_select_related = ["member"]
    actions = ["refund", "credit_flagged"]
    readonly_fields = [f.name for f in Order._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_refund_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("payments.refund_order")

    @admin.action(
        description=gettext_lazy("Refund (coins taken back, money returned)"),
        permissions=["refund"],
    )
    def refund(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        by = _operator(request)
        for order in queryset:
            try:
                services.order_refund(order_id=order.pk, by=by, reason=_("Refunded by an operator"))
            except services.PaymentRefused as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, _("%(number)s refunded.") % {"number": order.number})

    @admin.action(
        description=gettext_lazy("Credit flagged orders (after a look)"), permissions=["refund"]
    )
    def credit_flagged(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        by = _operator(request)
        for order in queryset:
            try:
                services.order_credit_flagged(order_id=order.pk, by=by)
            except services.PaymentRefused as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(request, _("%(number)s credited.") % {"number": order.number})

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if isinstance(response, TemplateResponse) and response.context_data:
            cl = response.context_data.get("cl")
            if cl is not None:
                days = selectors.totals_per_day(cl.queryset)
                response.context_data["totals_per_day"] = days
                response.context_data["totals"] = {
                    "n": sum(int(d["n"]) for d in days),  # type: ignore[call-overload]
                    "yuan": "%.2f" % (sum(int(d["fen"]) for d in days) / 100),  # type: ignore[call-overload]
                    "coins": sum(int(d["coins"]) for d in days),  # type: ignore[call-overload]
                }
        return response
