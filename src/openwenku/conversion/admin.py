"""The conversion pipeline in the admin: its figures, and retrying failed documents.

Extends the document list of documents/admin.py (documents knows nothing of
conversion): a pipeline page linked from the list, and a retry action.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from openwenku.documents.admin import DocumentAdmin
from openwenku.documents.models import Document

from .selectors import pipeline_overview
from .services import conversion_retry

admin.site.unregister(Document)


@admin.register(Document)
class PipelineDocumentAdmin(DocumentAdmin):
    actions = ["retry_conversion"]
    change_list_template = "admin/conversion/document_changelist.html"

    @admin.action(description=_("Retry conversion of the selected failed documents"))
    def retry_conversion(self, request: HttpRequest, queryset: QuerySet[Document]) -> None:
        count = conversion_retry(document_ids=list(queryset.values_list("pk", flat=True)))
        self._report_retried(request, count)

    def _report_retried(self, request: HttpRequest, count: int) -> None:
        self.message_user(
            request,
            ngettext("%d document queued again.", "%d documents queued again.", count) % count,
            messages.SUCCESS,
        )

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "pipeline/",
                self.admin_site.admin_view(self.pipeline_view),
                name="documents_document_pipeline",
            ),
            *super().get_urls(),
        ]

    def pipeline_view(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.POST.get("retry_failed"):
            failed = Document.objects.filter(status=Document.Status.FAILED)
            if request.POST.get("reason"):
                failed = failed.filter(failure_reason=request.POST["reason"])
            count = conversion_retry(document_ids=list(failed.values_list("pk", flat=True)))
            self._report_retried(request, count)
            return redirect(reverse("admin:documents_document_pipeline"))
        overview = pipeline_overview()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Conversion pipeline"),
            "opts": self.model._meta,
            "overview": overview,
            # Each status by its name in the reader's language, not its code.
            "documents_by_status": [
                (Document.Status(code).label if code in Document.Status.values else code, n)
                for code, n in overview["documents"].items()
            ],
        }
        return TemplateResponse(request, "admin/conversion/pipeline.html", context)
