from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Report


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
