"""The operators' pages (/manage/): the review queue, the report queue, penalties
and the audit log. Thin over moderation's services and selectors; every page
needs its own permission (403 otherwise)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from openwenku.access import paywall
from openwenku.accounts.models import Penalty, User
from openwenku.audit.models import AuditEntry
from openwenku.core.errors import ApplicationError
from openwenku.documents import failures
from openwenku.documents.models import Document
from openwenku.integrity.selectors import findings_for
from openwenku.moderation import selectors, services
from openwenku.moderation.models import HANDLE_REPORT, REVIEW_DOCUMENT, Report

VIEW_AUDIT = "audit.view_auditentry"
REVIEW_PAGE_SIZE = 10
PAGES_SHOWN = 30  # page images shown inline per held document (the rest: its page)


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()]


@login_required
@permission_required(REVIEW_DOCUMENT, raise_exception=True)
@require_safe
def review_queue(request: HttpRequest) -> HttpResponse:
    reason = request.GET.get("reason", "")
    page = Paginator(selectors.held_documents(reason=reason), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = []
    for document in page.object_list:
        pages = list(
            document.pages.order_by("number").only("document_id", "number", "width", "height")[
                :PAGES_SHOWN
            ]
        )
        findings = findings_for(document)
        flagged = {f.page for f in findings if f.page}
        for p in pages:
            p.image_url = paywall.page_image_url(  # type: ignore[attr-defined]
                document, p.number, request.user, free=False
            )
            p.flagged = p.number in flagged  # type: ignore[attr-defined]
        items.append(
            {
                "document": document,
                "reasons": _reasons(document),
                "pages": pages,
                "findings": findings,
                "history": selectors.uploader_history(document.owner),
            }
        )
    context = {
        "page": page,
        "items": items,
        "reason": reason,
        "query": urlencode({"reason": reason}) if reason else "",
        "reason_codes": [
            (code, failures.render(code) or code) for code in selectors.held_reason_codes()
        ],
        "rejection_reasons": selectors.rejection_reasons(),
    }
    return render(request, "moderation/review_queue.html", context)


def _reasons(document: Document) -> list[str]:
    from openwenku.documents.status import status_reasons

    return status_reasons(document)


@login_required
@permission_required(REVIEW_DOCUMENT, raise_exception=True)
@require_POST
def review_decide(request: HttpRequest) -> HttpResponse:
    """Approve or reject the ticked documents (one or many)."""
    action = request.POST.get("action")
    ids = _ids(request)
    if not ids:
        messages.error(request, _("Tick at least one document."))
        return redirect("manage:review")
    done = 0
    for document in Document.objects.filter(pk__in=ids, status=Document.Status.HELD):
        try:
            if action == "approve":
                done += services.review_approve(document=document, by=request.user)  # type: ignore[arg-type]
            elif action == "reject":
                done += services.review_reject(
                    document=document,
                    by=request.user,  # type: ignore[arg-type]
                    reason=request.POST.get("reason", ""),
                    note=request.POST.get("note", ""),
                )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            break
    if done:
        text = (
            _("%(n)d document(s) approved and published.")
            if action == "approve"
            else _("%(n)d document(s) rejected.")
        )
        messages.success(request, text % {"n": done})
    return redirect("manage:review")


@login_required
@permission_required(HANDLE_REPORT, raise_exception=True)
@require_safe
def report_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Report.Status.OPEN)
    if status not in ("open", "handled"):
        status = "open"
    reports = (
        selectors.report_queue()
        if status == "open"
        else selectors.report_queue(status="").exclude(status=Report.Status.OPEN)
    )
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    for report in page.object_list:
        report.uploader_penalties = list(  # type: ignore[attr-defined]
            Penalty.objects.in_force().filter(member_id=report.document.owner_id)
        )
        report.history = selectors.uploader_history(report.document.owner)  # type: ignore[attr-defined]
    context = {
        "page": page,
        "status": status,
        "outcomes": [
            (value, label)
            for value, label in Report.Outcome.choices
            if value != Report.Outcome.TAKEN_DOWN or services.takedown_available()
        ],
        "penalty_kinds": Penalty.Kind.choices,
    }
    return render(request, "moderation/report_queue.html", context)


@login_required
@permission_required(HANDLE_REPORT, raise_exception=True)
@require_POST
def report_handle(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=pk)
    days_raw = request.POST.get("days", "").strip()
    try:
        services.report_handle(
            report=report,
            by=request.user,  # type: ignore[arg-type]
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
            penalty_kind=request.POST.get("penalty_kind", ""),
            penalty_days=int(days_raw) if days_raw.isdigit() else None,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report was handled."))
    return redirect("manage:reports")


@login_required
@permission_required(HANDLE_REPORT, raise_exception=True)
@require_POST
def penalty_lift(request: HttpRequest, pk: int) -> HttpResponse:
    penalty = get_object_or_404(Penalty, pk=pk)
    if services.penalty_lift(penalty=penalty, by=request.user):  # type: ignore[arg-type]
        messages.success(request, _("The penalty was lifted."))
    return redirect("manage:reports")


@login_required
@permission_required(HANDLE_REPORT, raise_exception=True)
@require_POST
def penalty_impose(request: HttpRequest, user_id: int) -> HttpResponse:
    member = get_object_or_404(User, pk=user_id)
    days_raw = request.POST.get("days", "").strip()
    try:
        services.penalty_impose(
            member=member,
            kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", ""),
            days=int(days_raw) if days_raw.isdigit() else None,
            by=request.user,  # type: ignore[arg-type]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The penalty was imposed."))
    return redirect("manage:reports")


def _date(raw: str) -> dt.datetime | None:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@login_required
@permission_required(VIEW_AUDIT, raise_exception=True)
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit log, read-only, filtered by action, actor, member, document and date."""
    f = {
        k: request.GET.get(k, "").strip()
        for k in ("action", "actor", "member", "document", "since", "until")
    }
    entries = AuditEntry.objects.all()
    if f["action"]:
        entries = entries.filter(action=f["action"])
    if f["actor"]:
        entries = entries.filter(actor_name__iexact=f["actor"])
    if f["member"]:
        entries = entries.filter(member_name__iexact=f["member"])
    if f["document"]:
        entries = entries.filter(
            Q(document_id=int(f["document"]))
            if f["document"].isdigit()
            else Q(document_title__icontains=f["document"])
        )
    since, until = _date(f["since"]), _date(f["until"])
    if since:
        entries = entries.filter(created_at__gte=since)
    if until:
        entries = entries.filter(created_at__lt=until + dt.timedelta(days=1))
    page = Paginator(entries.order_by("-created_at", "-id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "filters": f,
        "actions": AuditEntry.Action.choices,
        "query": query.urlencode(),
    }
    return render(request, "moderation/audit_log.html", context)
