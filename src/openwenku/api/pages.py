"""The member centre's token page: list, create (the value shown once), revoke.

The API's model and services live here, so the page does too (the web app may
not import the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from openwenku.accounts.types import AuthenticatedRequest

from . import services
from .forms import TokenCreateForm
from .models import ApiToken

# The new token's value waits in the session for the one page view that shows it.
SHOW_ONCE_SESSION_KEY = "api_new_token"


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST) if request.method == "POST" else TokenCreateForm()
    if form.is_bound and form.is_valid():
        token, raw = services.token_issue(
            user=request.user,
            name=form.cleaned_data["name"],
            scopes=form.cleaned_data["scopes"],
        )
        request.session[SHOW_ONCE_SESSION_KEY] = {"id": token.pk, "raw": raw}
        return redirect("api_tokens:list")
    new = request.session.pop(SHOW_ONCE_SESSION_KEY, None)
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user).order_by("-created_at"),
        "new_token": new,
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = services.token_revoke(user=request.user, token_id=pk)
    messages.success(
        request, _("The token “%(name)s” is revoked.") % {"name": token.name or token.prefix}
    )
    return redirect("api_tokens:list")
