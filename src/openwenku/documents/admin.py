from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from openwenku.conversion.selectors import pipeline_overview
from openwenku.conversion.services import conversion_retry

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
    actions = ["retry_conversion"]
    change_list_template = "admin/conversion/document_changelist.html"

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

    @admin.action(description=_("Retry conversion of the selected failed documents"))
    def retry_conversion(self, request, queryset):
        count = conversion_retry(document_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d document queued again.", "%d documents queued again.", count) % count,
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path(
                "pipeline/",
                self.admin_site.admin_view(self.pipeline_view),
                name="documents_document_pipeline",
            ),
            *super().get_urls(),
        ]

    def pipeline_view(self, request):
        if request.method == "POST" and request.POST.get("retry_failed"):
            failed = Document.objects.filter(status=Document.Status.FAILED)
            if request.POST.get("reason"):
                failed = failed.filter(failure_reason=request.POST["reason"])
            count = conversion_retry(document_ids=list(failed.values_list("pk", flat=True)))
            self.message_user(
                request,
                ngettext("%d document queued again.", "%d documents queued again.", count) % count,
                messages.SUCCESS,
            )
            return redirect(reverse("admin:documents_document_pipeline"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Conversion pipeline"),
            "opts": self.model._meta,
            "overview": pipeline_overview(),
        }
        return TemplateResponse(request, "admin/conversion/pipeline.html", context)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)
