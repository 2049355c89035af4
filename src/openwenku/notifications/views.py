"""The message centre: the member's notices, newest first, and their e-mail choice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services

PER_PAGE = 20


@login_required
@require_safe
def centre(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.notifications_for(request.user), PER_PAGE)  # type: ignore[arg-type]
    page = paginator.get_page(request.GET.get("page"))
    notices = list(page.object_list)
    # Shown once as new, then read: the page's own unread ones are marked as it renders.
    services.mark_read(user=request.user, ids=[n.pk for n in notices if not n.is_read])  # type: ignore[arg-type]
    return render(
        request,
        "notifications/centre.html",
        {
            "page": page,
            "notices": notices,
            "email_enabled": services.wants_email(request.user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(user=request.user)  # type: ignore[arg-type]
    if count:
        messages.success(request, _("All notices marked as read."))
    return redirect("notifications:centre")


@login_required
@require_POST
def preferences(request: HttpRequest) -> HttpResponse:
    enabled = request.POST.get("email") == "on"
    services.preferences_set(user=request.user, email=enabled)  # type: ignore[arg-type]
    messages.success(
        request,
        _("Important notices will be e-mailed to you.")
        if enabled
        else _("Notices will no longer be e-mailed to you."),
    )
    return redirect("notifications:centre")
