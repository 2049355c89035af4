"""Pages of one document: the reader's page, page images, cover, status,
download, report, upload, edit, unpublish, delete, and a member's documents."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from openwenku.access import paywall
from openwenku.access.policy import AccessDenied, Action, DocumentAccess, Reason
from openwenku.access.selectors import (
    document_for_reader,
    page_for_reader,
    pages_for_reader,
    visible_text,
)
from openwenku.accounts.throttling import client_ip
from openwenku.core.errors import ApplicationError
from openwenku.core.links import absolute_url
from openwenku.discovery.selectors import related_documents
from openwenku.documents import selectors, services
from openwenku.documents.forms import DocumentEditForm, UploadForm
from openwenku.documents.models import Document
from openwenku.documents.presentation import description_segments, meta_description
from openwenku.documents.status import status_label, status_payload
from openwenku.market.services import new_idempotency_key, reward_clawback, stats_record_view
from openwenku.moderation.forms import ReportForm
from openwenku.moderation.services import report_create
from openwenku.search.selectors import related_searches_for_document

from .copyright import taken_down_page
from .market import download_original


def _visitor(request: HttpRequest) -> str:
    """Who is counted as one viewer: a member, else an address and browser."""
    if request.user.is_authenticated:
        return f"member:{request.user.pk}"
    agent = request.headers.get("User-Agent", "")[:200]
    return f"anonymous:{client_ip(request)}:{agent}"


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document, access = document_for_reader(request.user, pk)
    except AccessDenied as exc:
        if exc.reason is Reason.TAKEN_DOWN:
            return taken_down_page(request, pk)
        raise
    if not access.published and not access.kept_for_buyer:
        # Pages appear as they are rendered, for the uploader watching the conversion.
        return _detail_converting(request, document, can_manage=access.can_manage)
    # The paywall: only the pages (and their text) this reader may see reach the page.
    text = visible_text(document, access)
    shown, more = description_segments(text)
    if access.published and services.document_record_view(
        document=document, visitor=_visitor(request)
    ):
        stats_record_view(document_id=document.pk)
    # The reader: a few pages in the HTML (from ``?from=``, the no-script reader's
    # "continue reading" link); reader.js fetches the rest from ``pages`` as needed.
    start = _page_number(request.GET.get("from"), access.visible_pages)
    pages = pages_for_reader(document, access, start, PAGES_IN_HTML)
    for p in pages:
        p.image_url = _page_url(request, document, access, p.number)  # type: ignore[attr-defined]
    end = pages[-1].number if pages else 0
    first_size = pages[0] if pages else None
    context = {
        "document": document,
        "pages": pages,
        "reader_start": start,
        "reader_next": end + 1 if end < access.visible_pages else None,
        "reader_size": first_size,
        "reader_batch": PAGES_PER_BATCH,
        "access": access,
        "hidden_pages": access.hidden_pages,
        "buy_key": new_idempotency_key(),
        "breadcrumb": document.category.ancestry() if document.category else [],
        "segments": shown,
        "more_segments": more,
        "segment_offset": len(shown),
        "meta_description": meta_description(document, text),
        "canonical_url": absolute_url(document.get_absolute_url(), request),
        "related": related_documents(document),
        "related_searches": related_searches_for_document(document),
        "can_manage": access.can_manage,
        "status": status_payload(document),
        "tags": list(document.tags.all()),
        "takedown_causes": Document.TakedownCause.choices,
    }
    return render(request, "documents/detail.html", context)


# Page images in the document page's HTML, and in each batch reader.js asks for.
PAGES_IN_HTML = 8
PAGES_PER_BATCH = 16


def _page_number(value: str | None, visible: int) -> int:
    try:
        number = int(value or 1)
    except ValueError:
        number = 1
    return min(max(number, 1), max(visible, 1))


def _page_url(request: HttpRequest, document: Document, access: DocumentAccess, number: int) -> str:
    return paywall.page_image_url(document, number, request.user, free=number <= access.free_pages)


@require_safe
def pages(request: HttpRequest, pk: int) -> HttpResponse:
    """The next pages for the reader: signed image URLs and sizes of up to
    PAGES_PER_BATCH pages from ``?from=``, only pages this reader may see."""
    document, access = document_for_reader(request.user, pk)
    # As on the document page and in the API: pages of published documents (a
    # buyer keeps what they bought); the uploader follows a conversion by status.
    if not access.published and not access.kept_for_buyer:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    first = _page_number(request.GET.get("from"), access.visible_pages)
    batch = pages_for_reader(document, access, first, PAGES_PER_BATCH)
    response = JsonResponse(
        {
            "total": document.page_count,
            "visible": access.visible_pages,
            "pages": [
                {
                    "number": p.number,
                    "width": p.width,
                    "height": p.height,
                    "url": _page_url(request, document, access, p.number),
                }
                for p in batch
            ],
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _early_pages(request: HttpRequest, document: Document) -> list[dict]:
    pages = document.pages.only("document_id", "number", "width", "height").order_by("number")
    return [
        {
            "number": p.number,
            "width": p.width,
            "height": p.height,
            "url": paywall.page_image_url(document, p.number, request.user, free=False),
        }
        for p in pages
    ]


def _detail_converting(
    request: HttpRequest, document: Document, *, can_manage: bool = True
) -> HttpResponse:
    """The uploader's (or an operator's) view while the document is not published."""
    context = {
        "document": document,
        "early_pages": _early_pages(request, document),
        "breadcrumb": document.category.ancestry() if document.category else [],
        "meta_description": document.description or document.title,
        "canonical_url": absolute_url(document.get_absolute_url(), request),
        "can_manage": can_manage,
        "status": status_payload(document),
        "tags": list(document.tags.all()),
    }
    return render(request, "documents/detail.html", context)


@require_safe
def page_image(request: HttpRequest, pk: int, number: int) -> HttpResponseBase:
    """A page image, only by a signed, unexpired URL issued to this reader, and
    only while the reader may still see that page (see access.paywall)."""
    grant = paywall.verify_page_request(request, pk, number)
    page = page_for_reader(request.user, pk, number)
    kind = page_image_type(page.image.name or "")
    try:
        handle = page.image.open("rb")
    except FileNotFoundError:  # the file went missing from storage: a 404, not a 500
        raise AccessDenied(Reason.NO_SUCH_PAGE) from None
    response = FileResponse(handle, content_type=kind)
    response["Cache-Control"] = grant.cache_control
    return response


def page_image_type(name: str) -> str:
    """Grey text pages are PNG, the others WebP (see conversion.render)."""
    return "image/png" if name.endswith(".png") else "image/webp"


@require_safe
def cover_image(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The cover is page 1's image: only for readers who may see page 1, and
    kept by shared caches only while the document is published."""
    document, access = document_for_reader(request.user, pk)
    if not document.cover:
        raise AccessDenied(Reason.NO_SUCH_PAGE)
    access.check(Action.READ_PAGE, 1)
    try:
        handle = document.cover.open("rb")
    except FileNotFoundError:
        raise AccessDenied(Reason.NO_SUCH_PAGE) from None
    response = FileResponse(handle, content_type="image/webp")
    public = access.published and access.free_pages >= 1
    response["Cache-Control"] = "public, max-age=86400" if public else "private, no-store"
    return response


@require_safe
def status(request: HttpRequest, pk: int) -> HttpResponse:
    document, access = document_for_reader(request.user, pk)
    payload = status_payload(document)
    if not access.published and access.can_manage:
        payload["pages"] = _early_pages(request, document)
    return JsonResponse(payload)


@require_safe
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The original, through the market: free, bought, or a page to buy it."""
    document, access = document_for_reader(request.user, pk)
    if not access.published and not access.kept_for_buyer:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    return download_original(request, document, access)


@require_http_methods(["GET", "HEAD", "POST"])
def report(request, pk: int):
    """举报: members, and visitors who leave a contact (limited per address)."""
    document, _access = document_for_reader(request.user, pk)
    member = request.user if request.user.is_authenticated else None
    form = ReportForm(request.POST or None, anonymous=member is None)
    if request.method == "POST" and form.is_valid():
        report_create(
            document=document, reporter=member, client=client_ip(request), **form.cleaned_data
        )
        messages.success(request, _("Thank you. Your report was received and will be reviewed."))
        return redirect(document)
    return render(request, "documents/report.html", {"document": document, "form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request):
    """One or many files. The page's script posts each file on its own (with its
    own progress bar) and gets JSON back; without script the form posts them all."""
    wants_json = request.headers.get("Accept", "").startswith("application/json")
    if request.method in ("GET", "HEAD"):
        try:
            services.upload_ban_check(owner=request.user)
        except ApplicationError as exc:  # an upload ban in force: say why and until when
            messages.error(request, exc.message)
        return render(request, "documents/upload.html", {"form": UploadForm(), "max_mb": _max_mb()})
    form = UploadForm(request.POST, request.FILES)  # parsing the body runs the upload handler
    rejected = getattr(request, "rejected_uploads", None)
    if rejected and not request.FILES:
        errors = [_too_large(name) for name in rejected]
        return _upload_failed(request, form, errors, wants_json, status=413)
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _upload_failed(request, form, errors, wants_json, status=400)
    created, errors = [], [_too_large(name) for name in rejected or []]
    files = form.cleaned_data["files"]
    try:
        services.upload_request_check(files=len(files))
    except ApplicationError as exc:
        return _upload_failed(request, form, [exc.message], wants_json, status=exc.status)
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
                    price=form.cleaned_data["price"],
                    preview_pages=form.cleaned_data["preview_pages"],
                )
            )
        except ApplicationError as exc:  # refused upload, price outside the rules
            errors.append(exc.message)
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


def _managed(request: HttpRequest, pk: int) -> Document:
    document, _access = document_for_reader(request.user, pk, Action.MANAGE)
    return document


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk: int):
    document = _managed(request, pk)
    initial = {
        "title": document.title,
        "category": document.category,
        "tags": " ".join(t.name for t in document.tags.all()),
        "description": document.description,
    }
    form = DocumentEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.document_update(document=document, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect(document)
    return render(request, "documents/edit.html", {"document": document, "form": form})


def _clawback_if_for_cause(request: HttpRequest, document: Document) -> None:
    """An operator taking someone's document off the site does so for cause:
    its upload reward is taken back. An uploader removing their own keeps it."""
    if request.user.pk != document.owner_id:
        reward_clawback(
            document=document,
            reason=_("Document removed by an operator"),
            by=request.user,  # type: ignore[arg-type]  # _managed let in only members
        )


@login_required
@require_POST
def unpublish(request, pk: int):
    document = _managed(request, pk)
    _clawback_if_for_cause(request, document)
    services.document_unpublish(document=document)
    messages.success(request, _("The document is no longer on the site."))
    return redirect("documents:edit", pk=pk)


@login_required
@require_POST
def republish(request, pk: int):
    document = _managed(request, pk)
    services.document_republish(document=document)
    messages.success(request, _("The document is on the site again."))
    return redirect(document)


@login_required
@require_POST
def delete(request, pk: int):
    document = _managed(request, pk)
    _clawback_if_for_cause(request, document)
    if services.document_delete(document=document):
        messages.success(request, _("The document was deleted."))
    else:
        messages.warning(
            request,
            _("Members have bought this document, so it was unpublished instead of deleted."),
        )
    return redirect("documents:mine")


@login_required
@require_safe
def mine(request):
    documents = list(selectors.documents_of(request.user)[:200])
    for d in documents:
        d.status_text = status_label(d)  # type: ignore[attr-defined]
    return render(request, "documents/mine.html", {"documents": documents})
