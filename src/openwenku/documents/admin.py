"""The document list for operators; the conversion pipeline adds its own view
and actions to it (conversion/admin.py)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import Document, Tag


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "owner",
        "format",
        "status_display",
        "page_count",
        "size_display",
        "price",
        "created_at",
    )
    list_filter = ("status", "format", "category")
    search_fields = ("title", "original_name", "sha256", "owner__username")
    raw_id_fields = ("owner",)
    autocomplete_fields = ("tags",)
    readonly_fields = (
        "original",
        "original_name",
        "size",
        "sha256",
        "format",
        "status",
        "failure_code",
        "failure_reason",
        "page_count",
        "pages_ready",
        "text_chars",
        "attempts",
        "lease_owner",
        "lease_expires_at",
        "converted_at",
        "conversion_seconds",
        "view_count",
        "download_count",
        "created_at",
        "updated_at",
        "pdf",
        "cover",
    )

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        if obj.status == Document.Status.FAILED:
            return format_html(
                '<span title="{}" style="color:#c00">{}</span>',
                obj.failure_reason,
                obj.get_status_display(),
            )
        return obj.get_status_display()

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, obj):
        return obj.size_display


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
