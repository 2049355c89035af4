from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import Penalty

from . import services
from .models import Claim, CopyrightNotice, RejectionReason, Report, ReviewDecision, Takedown


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    """Read here; operators act on reports in the report queue (/manage/reports/),
    which writes the audit log and tells the reporter."""

    list_display = ("document", "reason", "reporter", "status", "outcome", "created_at")
    list_filter = ("status", "reason", "outcome")
    search_fields = ("document__title", "detail", "reporter__username", "contact")
    raw_id_fields = ("document", "reporter", "handled_by")
    readonly_fields = ("outcome", "note", "handled_by", "handled_at")


@admin.register(RejectionReason)
class RejectionReasonAdmin(admin.ModelAdmin[RejectionReason]):
    list_display = ("text", "position", "active")
    list_editable = ("position", "active")


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(admin.ModelAdmin[ReviewDecision]):
    list_display = ("document", "decision", "reason", "decided_by", "decided_at")
    list_filter = ("decision",)
    raw_id_fields = ("document", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PenaltyForm(forms.ModelForm[Penalty]):
    days = forms.IntegerField(
        label=_("Days (empty: permanent)"), min_value=1, max_value=3650, required=False
    )

    class Meta:
        model = Penalty
        fields = ("member", "kind", "reason")


@admin.register(Penalty)
class PenaltyAdmin(admin.ModelAdmin[Penalty]):
    """Operators impose penalties here (from the member's record) and lift them with
    the action; both go through moderation's services (audit log, notice)."""

    form = PenaltyForm
    list_display = ("member", "kind", "reason", "starts_at", "ends_at", "lifted_at")
    list_filter = ("kind",)
    search_fields = ("member__username", "reason")
    raw_id_fields = ("member",)
    actions = ["lift"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Penalty, form: Any, change: bool) -> None:
        created = services.penalty_impose(
            member=obj.member,
            kind=obj.kind,
            reason=obj.reason,
            days=form.cleaned_data.get("days"),
            by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = created.pk

    @admin.action(description=_("Lift the selected penalties"))
    def lift(self, request: HttpRequest, queryset: QuerySet[Penalty]) -> None:
        n = sum(
            services.penalty_lift(penalty=p, by=request.user)  # type: ignore[arg-type]
            for p in queryset.filter(lifted_at__isnull=True)
        )
        messages.success(request, _("%(n)d penalties lifted.") % {"n": n})


@admin.register(CopyrightNotice)
class CopyrightNoticeAdmin(admin.ModelAdmin[CopyrightNotice]):
    """Read-only record; operators decide notices at /manage/notices/."""

    list_display = ("number", "name", "email", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("number", "name", "email", "work")
    raw_id_fields = ("documents", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Takedown)
class TakedownAdmin(admin.ModelAdmin[Takedown]):
    list_display = ("document", "uploader", "cause", "status", "created_at")
    list_filter = ("status", "cause")
    raw_id_fields = ("document", "uploader", "notice", "by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin[Claim]):
    list_display = ("document", "claimant", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("document", "claimant", "previous_owner", "decided_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
