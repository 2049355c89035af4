"""Copyright pages: the public notice form, the 410 page of a taken-down
document, the uploader's counter-notice, an author's claim (认领), and the
operators' queues of notices, takedowns and claims (under /manage/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from openwenku.access import paywall
from openwenku.access.policy import access_for
from openwenku.accounts.throttling import client_ip
from openwenku.accounts.types import AuthenticatedRequest
from openwenku.core.errors import ApplicationError, Forbidden, NotFound
from openwenku.documents.models import Document
from openwenku.moderation import copyright as service
from openwenku.moderation.forms import (
    ClaimForm,
    CopyrightNoticeForm,
    CounterNoticeForm,
    DecisionForm,
    TakeDownForm,
)
from openwenku.moderation.models import Attachment, Claim, CopyrightNotice, CounterNotice, Takedown
from openwenku.moderation.permissions import HANDLE_CLAIM, HANDLE_NOTICE, TAKE_DOWN

INLINE_PAGES = 10


# --- Public and members' pages ------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    """A rights holder's notice; no account needed, a few per address an hour."""
    form = CopyrightNoticeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        service.notice_rate_check(client_ip(request))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = service.notice_create(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    work=data["work"],
                    urls=data["urls"],
                    documents_named=form.documents_named,
                    files=data["proof"],
                    good_faith=data["good_faith"],
                    accurate=data["accurate"],
                    client_ip=client_ip(request),
                )
            except ApplicationError as exc:
                form.add_error(None, exc.message)
            else:
                return render(request, "moderation/notice_sent.html", {"notice": created})
    status = 400 if request.method == "POST" else 200
    return render(request, "moderation/notice_form.html", {"form": form}, status=status)


def taken_down_page(request: HttpRequest, pk: int) -> HttpResponse:
    """410 for a document taken down for cause; its uploader also reads why and
    may answer with a counter-notice."""
    document = Document.objects.filter(pk=pk).first()
    context: dict = {"uploader": False}
    if (
        document is not None
        and request.user.is_authenticated
        and request.user.pk == document.owner_id
    ):
        takedown = service.active_takedown(document)
        context.update(
            uploader=True,
            document=document,
            takedown=takedown,
            cause=document.get_takedown_cause_display(),
            counter_open=bool(
                takedown
                and takedown.counter_notices.filter(status=CounterNotice.Status.OPEN).exists()
            ),
        )
    response = render(request, "moderation/taken_down.html", context, status=410)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def counter_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk, owner_id=request.user.pk)
    takedown = service.active_takedown(document)
    if takedown is None:
        raise NotFound
    form = CounterNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.counter_notice_create(document=document, by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, _("Your counter-notice was received; an operator will review it.")
            )
            return redirect("documents:mine")
    context = {"document": document, "takedown": takedown, "form": form}
    return render(request, "moderation/counter_notice.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(Document, pk=pk, status=Document.Status.READY)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.claim_create(
                document=document,
                claimant=request.user,
                evidence=data["evidence"],
                contact=data["contact"],
                files=data["proof"],
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your claim was received; an operator will review it."))
            return redirect(document)
    return render(request, "moderation/claim_form.html", {"document": document, "form": form})


# --- Operators -----------------------------------------------------------------------------


def _need(request: HttpRequest, *perms: str) -> None:
    if not any(request.user.has_perm(p) for p in perms):
        raise Forbidden


def _inline_pages(request: HttpRequest, document: Document) -> list[dict]:
    access = access_for(request.user, document)
    shown = (
        access.total_pages
        if access.taken_down and access.takedown_reviewer
        else access.visible_pages
    )
    pages = document.pages.filter(number__lte=min(shown, INLINE_PAGES)).order_by("number")
    return [
        {
            "number": p.number,
            "width": p.width,
            "height": p.height,
            "url": paywall.page_image_url(document, p.number, request.user, free=False),
        }
        for p in pages.only("document_id", "number", "width", "height")
    ]


@login_required
@require_safe
def notices(request: AuthenticatedRequest) -> HttpResponse:
    _need(request, HANDLE_NOTICE)
    status = request.GET.get("status", CopyrightNotice.Status.OPEN)
    qs = CopyrightNotice.objects.annotate(n_documents=Count("documents"))
    if status in CopyrightNotice.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("created_at", "id"), 50).get_page(request.GET.get("page"))
    open_counters = CounterNotice.objects.filter(status=CounterNotice.Status.OPEN).count()
    context = {
        "page": page,
        "status": status,
        "statuses": CopyrightNotice.Status.choices,
        "open_counters": open_counters,
    }
    return render(request, "moderation/manage_notices.html", context)


@login_required
@require_safe
def notice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _need(request, HANDLE_NOTICE)
    item = get_object_or_404(CopyrightNotice, pk=pk)
    documents = list(item.documents.select_related("owner").order_by("pk"))
    for d in documents:
        d.inline_pages = _inline_pages(request, d)  # type: ignore[attr-defined]
    context = {
        "notice": item,
        "documents": documents,
        "attachments": item.attachments.all(),
        "takedowns": item.takedowns.select_related("document"),
        "reject_form": DecisionForm(),
    }
    return render(request, "moderation/manage_notice.html", context)


@login_required
@require_POST
def notice_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _need(request, HANDLE_NOTICE)
    item = get_object_or_404(CopyrightNotice, pk=pk)
    chosen = [int(x) for x in request.POST.getlist("documents") if x.isdigit()]
    takedowns = service.notice_accept(notice=item, by=request.user, document_ids=chosen or None)
    messages.success(
        request, _("Notice accepted: %(n)d document(s) taken down.") % {"n": len(takedowns)}
    )
    return redirect("copyright:notice_detail", pk=pk)


@login_required
@require_POST
def notice_reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _need(request, HANDLE_NOTICE)
    item = get_object_or_404(CopyrightNotice, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    service.notice_reject(notice=item, by=request.user, reason=form.cleaned_data.get("reason", ""))
    messages.success(request, _("Notice rejected; its sender is told by e-mail."))
    return redirect("copyright:notices")


@login_required
@require_safe
def attachment(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """A proof file: only operators who decide its notice or claim download it."""
    item = get_object_or_404(Attachment, pk=pk)
    _need(request, HANDLE_NOTICE if item.notice_id else HANDLE_CLAIM)
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=item.name,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def takedowns(request: AuthenticatedRequest) -> HttpResponse:
    """Takedowns still active, those with a counter-notice waiting first."""
    _need(request, HANDLE_NOTICE, TAKE_DOWN)
    qs = (
        Takedown.objects.filter(status=Takedown.Status.ACTIVE)
        .select_related("document", "uploader", "notice")
        .prefetch_related("counter_notices")
        .annotate(waiting=Count("counter_notices", filter=Q(counter_notices__status="open")))
        .order_by("-waiting", "created_at")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/manage_takedowns.html", {"page": page})


@login_required
@require_safe
def takedown_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _need(request, HANDLE_NOTICE, TAKE_DOWN)
    item = get_object_or_404(
        Takedown.objects.select_related("document", "uploader", "notice"), pk=pk
    )
    context = {
        "takedown": item,
        "counters": item.counter_notices.all(),
        "pages": _inline_pages(request, item.document),
        "form": DecisionForm(),
    }
    return render(request, "moderation/manage_takedown.html", context)


@login_required
@require_POST
def takedown_decide(request: AuthenticatedRequest, pk: int, decision: str) -> HttpResponse:
    _need(request, HANDLE_NOTICE, TAKE_DOWN)
    if decision not in ("restore", "confirm"):
        raise NotFound
    item = get_object_or_404(Takedown, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    if decision == "restore":
        service.takedown_restore(takedown=item, by=request.user, reason=reason)
        messages.success(request, _("The document is restored."))
    else:
        service.takedown_confirm(takedown=item, by=request.user, reason=reason)
        messages.success(request, _("The takedown is confirmed."))
    return redirect("copyright:takedowns")


@login_required
@require_POST
def take_down(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An operator with ``moderation.take_down`` takes a document down at once."""
    _need(request, TAKE_DOWN)
    document = get_object_or_404(Document.objects.select_related("owner"), pk=pk)
    form = TakeDownForm(request.POST)
    if not form.is_valid():
        raise ApplicationError(_("Choose why the document is taken down."), code="cause_invalid")
    service.take_down(document=document, by=request.user, **form.cleaned_data)
    messages.success(request, _("The document was taken down."))
    return redirect("copyright:takedowns")


@login_required
@require_safe
def claims(request: AuthenticatedRequest) -> HttpResponse:
    _need(request, HANDLE_CLAIM)
    qs = (
        Claim.objects.filter(status=Claim.Status.OPEN)
        .select_related("document", "claimant", "document__owner")
        .prefetch_related("attachments")
        .order_by("created_at")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "moderation/manage_claims.html", {"page": page, "form": DecisionForm()})


@login_required
@require_POST
def claim_decide(request: AuthenticatedRequest, pk: int, decision: str) -> HttpResponse:
    _need(request, HANDLE_CLAIM)
    if decision not in ("approve", "reject"):
        raise NotFound
    item = get_object_or_404(Claim, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    if decision == "approve":
        service.claim_approve(claim=item, by=request.user, reason=reason)
        messages.success(request, _("Claim approved: the document now belongs to its author."))
    else:
        service.claim_reject(claim=item, by=request.user, reason=reason)
        messages.success(request, _("Claim rejected."))
    return redirect("copyright:claims")
