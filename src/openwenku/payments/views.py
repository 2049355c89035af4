"""The recharge pages of the member centre and the providers' notification endpoints."""

from __future__ import annotations

import io
import re

import segno
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from openwenku.accounts.throttling import client_ip

from . import config, selectors, services
from .models import Order, Provider

_MOBILE = re.compile(r"Mobile|Android|iPhone|iPad|MicroMessenger", re.IGNORECASE)


def _require_enabled() -> list[str]:
    enabled = config.providers_enabled()
    if not enabled:
        raise Http404
    return enabled


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def recharge(request: HttpRequest) -> HttpResponse:
    enabled = _require_enabled()
    error = ""
    if request.method == "POST":
        try:
            package_id = int(request.POST.get("package", ""))
        except ValueError:
            package_id = 0
        try:
            order = services.order_create(
                member=request.user,  # type: ignore[arg-type]  # login_required
                package_id=package_id,
                provider=request.POST.get("provider", ""),
            )
        except services.PaymentRefused as exc:
            error = exc.message
        else:
            return_url = request.build_absolute_uri(reverse("payments:order", args=[order.number]))
            mobile = bool(_MOBILE.search(request.headers.get("User-Agent", "")))
            if order.provider == Provider.ALIPAY:
                url = services.alipay_pay_url(
                    order=order,
                    notify_url=request.build_absolute_uri(reverse("payments:alipay_notify")),
                    return_url=return_url,
                    mobile=mobile,
                )
                return redirect(url)
            notify_url = request.build_absolute_uri(reverse("payments:wechat_notify"))
            try:
                if mobile and config.payments_settings().get("WECHAT_H5"):
                    return redirect(
                        services.wechat_h5_url(
                            order=order,
                            notify_url=notify_url,
                            return_url=return_url,
                            client_ip=client_ip(request),
                        )
                    )
                services.wechat_code_url(order=order, notify_url=notify_url)
            except services.PaymentRefused as exc:
                error = exc.message
            else:
                return redirect("payments:order", order.number)
    context = {
        "packages": selectors.packages_on_sale(),
        "providers": [(p, Provider(p).label) for p in enabled],
        "orders": selectors.orders_of(request.user)[:20],  # type: ignore[arg-type]
        "error": error,
    }
    return render(request, "payments/recharge.html", context, status=400 if error else 200)


@login_required
@require_safe
def order(request: HttpRequest, number: str) -> HttpResponse:
    """The return page: the order's state, nothing more (only notifications credit)."""
    _require_enabled()
    row = get_object_or_404(Order, number=number, member_id=request.user.pk)
    return render(request, "payments/order.html", {"order": row})


@login_required
@require_safe
def order_qr(request: HttpRequest, number: str) -> HttpResponse:
    """The WeChat Pay Native code of an unpaid order, as an SVG QR code."""
    _require_enabled()
    row = get_object_or_404(
        Order, number=number, member_id=request.user.pk, state=Order.State.CREATED
    )
    if not row.code_url:
        raise Http404
    buffer = io.BytesIO()
    segno.make(row.code_url, error="m").save(buffer, kind="svg", scale=6, border=2)
    response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    return response


@csrf_exempt
@require_POST
def alipay_notify(request: HttpRequest) -> HttpResponse:
    if not config.alipay_configured():
        raise Http404
    params = {k: request.POST.get(k, "") for k in request.POST}
    outcome = services.alipay_notification(params)
    return HttpResponse("success" if outcome.acknowledged else "failure", content_type="text/plain")


@csrf_exempt
@require_POST
def wechat_notify(request: HttpRequest) -> HttpResponse:
    if not config.wechat_configured():
        raise Http404
    body = request.body.decode("utf-8", "replace")
    outcome = services.wechat_notification(request.headers, body)
    if outcome.acknowledged:
        return HttpResponse(status=204)
    return JsonResponse({"code": "FAIL", "message": "refused"}, status=400)
