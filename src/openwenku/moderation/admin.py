from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Claim, CopyrightNotice, Report, Takedown


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin[Report]):
    list_display = ("document", "reason", "reporter", "status", "created_at")
    list_filter = ("status", "reason")
    search_fields = ("document__title", "detail", "reporter__username")
    raw_id_fields = ("document", "reporter")
    actions = ["mark_resolved", "mark_rejected"]

    @admin.action(description=_("Mark as resolved"))
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        queryset.update(status=Report.Status.RESOLVED)

    @admin.action(description=_("Mark as rejected"))
    def mark_rejected(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        queryset.update(status=Report.Status.REJECTED)


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
