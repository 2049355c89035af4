from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: filter and read; nobody adds, edits or deletes an entry."""

    list_display = (
        "created_at",
        "actor_name",
        "action",
        "document_id",
        "document_title",
        "member_name",
        "reason",
    )
    list_filter = ("action", "created_at")
    search_fields = ("actor_name", "member_name", "document_title", "reason", "=document_id")
    date_hierarchy = "created_at"
    list_select_related = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
