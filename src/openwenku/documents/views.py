from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from openwenku.moderation.services import report_create

from . import selectors, services
from .forms import ReportForm, UploadForm
from .models import Document
from .presentation import description_segments, meta_description
from .status import status_label, status_payload

_VIEWED_KEY = "viewed_docs"


@require_GET
def detail(request, pk: int):
    document = selectors.document_for_reader(request.user, pk)
    text = selectors.document_full_text(document) if document.is_ready else ""
    shown, more = description_segments(text)
    viewed = request.session.get(_VIEWED_KEY, [])
    if document.is_ready and pk not in viewed:
        services.document_record_view(document=document)
        request.session[_VIEWED_KEY] = [*viewed, pk][-200:]
    pages = list(document.pages.only("number", "width", "height")) if document.is_ready else []
    context = {
        "document": document,
        "pages": pages,
        "breadcrumb": document.category.ancestry() if document.category else [],
        "segments": shown,
        "more_segments": more,
        "segment_offset": len(shown),
        "meta_description": meta_description(document, text),
        "canonical_url": request.build_absolute_uri(document.get_absolute_url()),
        "related": selectors.related_documents(document) if document.is_ready else [],
        "can_manage": selectors.can_manage(request.user, document),
        "status": status_payload(document),
        "tags": list(document.tags.all()),
    }
    return render(request, "documents/detail.html", context)


@require_GET
def page_image(request, pk: int, number: int):
    page = selectors.page_for_reader(request.user, pk, number)
    response = FileResponse(page.image.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@require_GET
def cover_image(request, pk: int):
    document = selectors.document_for_reader(request.user, pk)
    if not document.cover:
        raise Http404
    response = FileResponse(document.cover.open("rb"), content_type="image/webp")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def status(request, pk: int):
    document = selectors.document_for_reader(request.user, pk)
    return JsonResponse(status_payload(document))


@login_required
@require_GET
def download(request, pk: int):
    document = selectors.document_for_reader(request.user, pk)
    if not document.is_ready:
        raise Http404
    if document.price > 0 and not selectors.can_manage(request.user, document):
        # Buying with coins arrives with the market; until then priced files stay closed.
        raise PermissionDenied(_("This document is for sale; purchases are not open yet."))
    services.document_record_download(document=document)
    return FileResponse(
        document.original.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    document = selectors.document_for_reader(request.user, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_create(document=document, reporter=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. Your report was received and will be reviewed."))
        return redirect(document)
    return render(request, "documents/report.html", {"document": document, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    """One or many files. The page's script posts each file on its own (with its
    own progress bar) and gets JSON back; without script the form posts them all."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method == "GET":
        return render(request, "documents/upload.html", {"form": UploadForm(), "max_mb": _max_mb()})
    form = UploadForm(request.POST, request.FILES)  # parsing the body runs the upload handler
    rejected = getattr(request, "rejected_uploads", None)
    if rejected and not request.FILES:
        errors = [services.UploadRefused(_too_large(name)).reason for name in rejected]
        return _upload_failed(request, form, errors, wants_json, status=413)
    if not form.is_valid():
        errors = [e for errs in form.errors.values() for e in errs]
        return _upload_failed(request, form, errors, wants_json, status=400)
    created, errors = [], [_too_large(name) for name in rejected or []]
    files = form.cleaned_data["files"]
    for upload_file in files:
        try:
            created.append(
                services.document_create(
                    owner=request.user,
                    incoming=services.incoming_from_upload(upload_file),
                    title=form.cleaned_data["title"] if len(files) == 1 else "",
                    description=form.cleaned_data["description"],
                    category=form.cleaned_data["category"],
                    tags=form.cleaned_data["tags"],
                )
            )
        except services.UploadRefused as exc:
            errors.append(exc.reason)
    if wants_json:
        code = 201 if created else 400
        return JsonResponse(
            {
                "documents": [
                    {
                        **status_payload(d),
                        "url": d.get_absolute_url(),
                        "status_url": reverse("documents:status", args=[d.pk]),
                    }
                    for d in created
                ],
                "errors": errors,
            },
            status=code,
        )
    for e in errors:
        messages.error(request, e)
    if created:
        messages.success(
            request, _("%(n)d file(s) uploaded; conversion has started.") % {"n": len(created)}
        )
        return redirect("documents:mine")
    return render(request, "documents/upload.html", {"form": form, "max_mb": _max_mb()}, status=400)


def _max_mb() -> int:
    from django.conf import settings

    return settings.OPENWENKU["MAX_UPLOAD_BYTES"] // (1024 * 1024)


def _too_large(name: str) -> str:
    return _("“%(name)s” is larger than the %(mb)d MB limit") % {"name": name, "mb": _max_mb()}


def _upload_failed(request, form, errors, wants_json, status):
    if wants_json:
        return JsonResponse({"documents": [], "errors": errors}, status=status)
    for e in errors:
        messages.error(request, e)
    return render(
        request, "documents/upload.html", {"form": form, "max_mb": _max_mb()}, status=status
    )


@login_required
@require_GET
def mine(request):
    documents = list(selectors.documents_of(request.user)[:200])
    for d in documents:
        d.status_text = status_label(d)
    return render(request, "documents/mine.html", {"documents": documents})


def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /accounts/",
        "Disallow: /admin/",
        "Disallow: /api/",
        "Disallow: /upload/",
        "Allow: /",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


__all__ = ["Document"]
