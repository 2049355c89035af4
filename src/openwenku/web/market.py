"""Pages of coins: buy, download, wallet, sign-in, withdraw, earnings, pricing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from openwenku.access.policy import (
    AccessDenied,
    Action,
    DocumentAccess,
    Reason,
    access_for,
    may_lock_prices,
    may_see_earnings,
)
from openwenku.access.selectors import document_for_reader
from openwenku.accounts.throttling import client_ip
from openwenku.core.errors import ApplicationError, Forbidden, NotFound
from openwenku.documents.models import Document
from openwenku.market import selectors, services
from openwenku.market.charts import earnings_chart
from openwenku.market.forms import (
    BuyForm,
    OperatorPricingForm,
    PricingForm,
    VipBuyForm,
    VipDownloadForm,
    WithdrawForm,
)
from openwenku.market.models import PricingLock, VipPlan


def _buy_page(request, document: Document, *, status: int = 402, error: str = ""):
    access = access_for(request.user, document)
    context = {
        "document": document,
        "access": access,
        "balance": selectors.balance_of(request.user) if request.user.is_authenticated else 0,
        "buy_key": services.new_idempotency_key(),
        "error": error,
    }
    return render(request, "market/buy.html", context, status=status)


def download_original(request, document: Document, access: DocumentAccess):
    """The original file for whoever may have it; otherwise log in or buy.

    Counted and held to the daily caps; the original name survives
    (RFC 5987 ``filename*`` for Chinese names)."""
    if not access.can_download:
        if access.needs == "login" or not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _buy_page(request, document)
    try:
        services.download_record(user=request.user, document=document, ip=client_ip(request))
    except services.DownloadLimitReached as exc:
        return render(
            request,
            "market/refused.html",
            {"document": document, "message": exc.message},
            status=429,
        )
    response = FileResponse(
        document.original.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type="application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def buy(request, pk: int):
    document, access = document_for_reader(request.user, pk)
    if not access.published:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    if access.can_download:  # bought already, free, or read free (managers, read_all_content)
        return redirect(document)
    if request.method in ("GET", "HEAD"):
        return _buy_page(request, document, status=200)
    form = BuyForm(request.POST)
    if not form.is_valid():
        return _buy_page(request, document, status=400, error=_("Please try again."))
    try:
        result = services.purchase_create(
            buyer=request.user,
            document=document,
            idempotency_key=form.cleaned_data["idempotency_key"],
            expected_price=form.cleaned_data["expected_price"],
        )
    except services.InsufficientCoins as exc:
        return _buy_page(request, document, status=402, error=exc.message)
    except services.MarketRefused as exc:
        messages.error(request, exc.message)
        return redirect(document)
    if result.created:
        messages.success(
            request,
            _("Bought for %(price)d coins; your balance is %(balance)d. Every page is open now.")
            % {"price": result.purchase.price, "balance": result.balance},
        )
    return redirect(document)


@login_required
@require_POST
def signin(request):
    try:
        reward = services.signin_claim(user=request.user)
        messages.success(request, _("Signed in: +%(n)d coins.") % {"n": reward})
    except services.AlreadySignedIn as exc:
        messages.info(request, exc.message)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("market:wallet")
    return redirect(target)


@login_required
@require_safe
def wallet(request):
    entries = Paginator(selectors.ledger_of(request.user), 50).get_page(request.GET.get("page"))
    context = {
        "balance": selectors.balance_of(request.user),
        "withdrawable": selectors.earned_available(request.user),
        "pending_sales": selectors.pending_sales_of(request.user),
        "signed_in_today": selectors.signed_in_today(request.user),
        "signin_reward": selectors.market_settings().signin_reward,
        "entries": entries,
        "purchases": list(selectors.purchases_of(request.user)[:100]),
        "withdrawals": list(selectors.withdrawals_of(request.user)[:50]),
    }
    return render(request, "market/wallet.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request):
    form = WithdrawForm(
        request.POST or None, initial={"idempotency_key": services.new_idempotency_key()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.withdrawal_request(user=request.user, **form.cleaned_data)
        except services.MarketRefused as exc:
            form.add_error(None, exc.message)
        else:
            if result.created:
                messages.success(
                    request,
                    _("%(n)d coins are held for your withdrawal; an operator will pay them.")
                    % {"n": result.withdrawal.amount},
                )
            return redirect("market:wallet")
    context = {
        "form": form,
        "withdrawable": selectors.earned_available(request.user),
        "minimum": selectors.market_settings().min_withdrawal,
        "withdrawals": list(selectors.withdrawals_of(request.user)[:50]),
    }
    return render(request, "market/withdraw.html", context, status=400 if form.errors else 200)


def _earnings_page(request, owner):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    days = days if days in (7, 30, 90, 365) else 30
    points = selectors.earnings_over_time(owner, days)
    context = {
        "owner": owner,
        "is_self": owner.pk == request.user.pk,
        "totals": selectors.earnings_totals(owner),
        "documents": list(selectors.earnings_by_document(owner)[:500]),
        "chart": earnings_chart(points),
        "days": days,
        "period": {
            "coins": sum(p.coins for p in points),
            "downloads": sum(p.downloads for p in points),
            "views": sum(p.views for p in points),
        },
    }
    return render(request, "market/earnings.html", context)


@login_required
@require_safe
def earnings(request):
    return _earnings_page(request, request.user)


@login_required
@require_safe
def earnings_of(request, user_id: int):
    """A member's earnings: their own, or anyone's for holders of ``market.view_wallet``."""
    if not may_see_earnings(request.user, user_id):
        raise Forbidden
    owner = get_user_model().objects.filter(pk=user_id).first()
    if owner is None:
        raise NotFound
    return _earnings_page(request, owner)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def pricing(request, pk: int):
    document, _access = document_for_reader(request.user, pk, Action.MANAGE)
    lock = PricingLock.objects.filter(document=document).select_related("locked_by").first()
    operator = may_lock_prices(request.user)
    form_class = OperatorPricingForm if operator else PricingForm
    initial = {
        "price": document.price,
        "preview_pages": document.preview_pages,
        "lock": lock is not None,
        "reason": lock.reason if lock else "",
    }
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pricing_set(
                document=document,
                by=request.user,
                price=data["price"],
                preview_pages=data["preview_pages"],
                lock=data.get("lock") if operator else None,
                reason=data.get("reason", ""),
            )
        except ApplicationError as exc:  # the operator's lock, a price outside the rules
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Price and free pages saved."))
            return redirect(document)
    context = {"document": document, "form": form, "lock": lock}
    return render(request, "market/pricing.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def vip(request):
    """The member centre's VIP page: the plans on sale for coins, the member's
    plan, its end and today's VIP downloads left; buying a plan with coins."""
    error = ""
    status = 200
    if request.method == "POST":
        form = VipBuyForm(request.POST)
        plan = None
        if form.is_valid():
            plan = VipPlan.objects.filter(pk=form.cleaned_data["plan"], active=True).first()
        if plan is None:
            error, status = _("Please try again."), 400
        else:
            try:
                grant, created = services.vip_buy(
                    user=request.user,
                    plan=plan,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except services.MarketRefused as exc:
                error, status = exc.message, exc.status
            else:
                if created:
                    messages.success(
                        request,
                        _("You are a VIP member until %(end)s.")
                        % {"end": timezone.localtime(grant.ends_at).strftime("%Y-%m-%d %H:%M")},
                    )
                return redirect("market:vip")
    context = {
        "plans": list(selectors.vip_plans_for_sale()),
        "status": selectors.vip_status(request.user),
        "balance": selectors.balance_of(request.user),
        "buy_key": services.new_idempotency_key(),
        "error": error,
    }
    return render(request, "market/vip.html", context, status=status)


@login_required
@require_POST
def vip_download(request, pk: int):
    """A VIP member takes a priced document within today's quota, then downloads it;
    past the quota (or without a plan) the member is offered the normal purchase."""
    document, access = document_for_reader(request.user, pk)
    if not access.published:
        raise AccessDenied(Reason.NOT_PUBLISHED)
    if access.can_download:
        return redirect("documents:download", pk=document.pk)
    form = VipDownloadForm(request.POST)
    if not form.is_valid():
        return _buy_page(request, document, status=400, error=_("Please try again."))
    try:
        result = services.vip_download(
            user=request.user,
            document=document,
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except services.MarketRefused as exc:  # VIP unavailable, not enough coins: buy instead
        return _buy_page(request, document, status=exc.status, error=exc.message)
    if result.created:
        messages.success(
            request,
            _("VIP download: this document is yours now (%(paid)d coins paid).")
            % {"paid": result.purchase.price},
        )
    return redirect("documents:download", pk=document.pk)
