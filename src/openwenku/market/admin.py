"""Operators' side: settings, wallets with grants/deductions, the ledger (read
only), purchases with refunds, withdrawals to approve or reject.

Staff status only lets an account into the admin site; each power is a Django
permission: ``market.grant_coins``, ``market.approve_withdrawal``,
``market.change_purchase`` (refunds), ``market.view_*`` (the lists)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openwenku.accounts.types import User

from . import services
from .forms import GrantForm
from .models import (
    APPROVE_WITHDRAWAL,
    GRANT_COINS,
    Download,
    LedgerEntry,
    MarketSettings,
    PricingLock,
    Purchase,
    RewardClawback,
    VipGrant,
    VipMembership,
    VipPlan,
    Wallet,
    Withdrawal,
)


def _operator(request: HttpRequest) -> User:
    """The signed-in operator running an admin action (the admin lets in no one else)."""
    if not isinstance(request.user, User) or not request.user.is_staff:
        raise PermissionDenied
    return request.user


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(MarketSettings)
class MarketSettingsAdmin(admin.ModelAdmin[MarketSettings]):
    list_display = (
        "commission_percent",
        "upload_reward",
        "signin_reward",
        "default_preview_pages",
        "downloads_per_user_per_day",
        "downloads_per_ip_per_day",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not MarketSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Wallet)
class WalletAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "balance", "created_at")
    list_filter = ("kind",)
    search_fields = ("user__username", "user__display_name", "user__email")
    list_select_related = ("user",)
    change_list_template = "admin/market/wallet/change_list.html"

    def get_urls(self) -> list[URLPattern]:
        extra = [
            path(
                "grant/",
                self.admin_site.admin_view(self.grant_view),
                name="market_wallet_grant",
            )
        ]
        return extra + super().get_urls()

    def grant_view(self, request: HttpRequest) -> HttpResponse:
        """Grant or deduct coins with a reason (a ledger entry, never an edit)."""
        if not request.user.is_staff or not request.user.has_perm(GRANT_COINS):
            raise PermissionDenied
        form = GrantForm(request.POST or None, initial={"username": request.GET.get("user", "")})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.coins_grant(
                    user=data["user"], amount=data["amount"], reason=data["reason"], by=request.user
                )
            except services.MarketRefused as exc:
                form.add_error(None, exc.message)
            else:
                self.message_user(
                    request,
                    _("%(user)s: %(amount)+d coins, balance %(balance)d.")
                    % {
                        "user": data["user"],
                        "amount": entry.amount,
                        "balance": entry.balance_after,
                    },
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:market_wallet_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Grant or deduct coins"),
            "form": form,
        }
        return TemplateResponse(request, "admin/market/wallet/grant.html", context)


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "wallet",
        "kind",
        "amount",
        "balance_after",
        "document_id",
        "purchase_id",
        "withdrawal_id",
        "created_by",
        "memo",
    )
    list_filter = ("kind",)
    search_fields = ("wallet__user__username", "memo")
    list_select_related = ("wallet__user", "created_by")
    date_hierarchy = "created_at"


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "buyer",
        "document",
        "seller",
        "price",
        "commission",
        "via_vip",
        "vip_payout",
        "refunded_at",
        "review",
    )
    list_filter = ("review", "refunded_at", "via_vip")
    search_fields = ("buyer__username", "document__title", "idempotency_key")
    list_select_related = ("buyer", "document", "seller")
    actions = ["refund", "clear_review"]

    @admin.action(description=gettext_lazy("Refund the selected purchases"), permissions=["change"])
    def refund(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        done = 0
        for purchase in queryset:
            try:
                services.purchase_refund(purchase=purchase, by=_operator(request), reason="")
                done += 1
            except services.MarketRefused as exc:
                self.message_user(request, f"#{purchase.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d purchase(s) refunded.") % {"n": done})

    @admin.action(
        description=gettext_lazy("Clear the selected sales for withdrawal"), permissions=["change"]
    )
    def clear_review(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        done = 0
        for purchase in queryset:
            try:
                services.sale_review_clear(purchase=purchase, by=_operator(request))
                done += 1
            except services.MarketRefused as exc:
                self.message_user(request, f"#{purchase.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)d sale(s) cleared.") % {"n": done})

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Needed to run the refund action; the fields stay read-only.
        return request.user.is_staff and request.user.has_perm("market.change_purchase")

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]


@admin.register(Withdrawal)
class WithdrawalAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "created_at",
        "user",
        "amount",
        "account",
        "status",
        "decided_by",
        "decided_at",
    )
    list_filter = ("status",)
    search_fields = ("user__username", "account")
    list_select_related = ("user", "decided_by")
    actions = ["approve", "reject"]

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # Whoever decides withdrawals sees them.
        return super().has_view_permission(request, obj) or self.has_approve_permission(request)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff and request.user.has_perm(APPROVE_WITHDRAWAL)

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[Withdrawal],
        decide: Callable[..., Withdrawal],
        done_message: str,
    ) -> None:
        done = 0
        for withdrawal in queryset:
            try:
                decide(withdrawal=withdrawal, by=_operator(request))
                done += 1
            except services.MarketRefused as exc:
                self.message_user(request, f"#{withdrawal.pk}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, done_message % {"n": done})

    @admin.action(description=gettext_lazy("Mark as paid (approve)"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Withdrawal]) -> None:
        self._decide(request, queryset, services.withdrawal_approve, _("%(n)d withdrawal(s) paid."))

    @admin.action(description=gettext_lazy("Reject (return the coins)"), permissions=["approve"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Withdrawal]) -> None:
        self._decide(
            request, queryset, services.withdrawal_reject, _("%(n)d withdrawal(s) rejected.")
        )


@admin.register(RewardClawback)
class RewardClawbackAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "document_id", "user", "reward", "taken", "reason", "created_by")
    search_fields = ("user__username", "reason")
    list_select_related = ("user", "created_by")


@admin.register(Download)
class DownloadAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "document", "ip")
    search_fields = ("user__username", "ip")
    list_select_related = ("user", "document")
    date_hierarchy = "created_at"


@admin.register(PricingLock)
class PricingLockAdmin(admin.ModelAdmin[PricingLock]):
    list_display = ("document", "locked_by", "reason", "created_at")
    raw_id_fields = ("document", "locked_by")


@admin.register(VipPlan)
class VipPlanAdmin(admin.ModelAdmin[VipPlan]):
    """Plans are set here; a plan members hold is switched off, never deleted."""

    list_display = (
        "name",
        "days",
        "price_coins",
        "price_fen",
        "downloads_per_day",
        "discount_percent",
        "active",
        "position",
    )
    list_editable = ("active", "position")
    list_filter = ("active",)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(VipMembership)
class VipMembershipAdmin(ReadOnlyAdmin):
    list_display = ("user", "plan", "starts_at", "ends_at", "updated_at")
    list_filter = ("plan",)
    search_fields = ("user__username",)
    list_select_related = ("user", "plan")


@admin.register(VipGrant)
class VipGrantAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "plan", "source", "reference", "coins", "ends_at")
    list_filter = ("source", "plan")
    search_fields = ("user__username", "reference")
    list_select_related = ("user", "plan")
