"""Alipay through python-alipay-sdk (RSA2).

Links for computer-website pay (``alipay.trade.page.pay``) and mobile-website
pay (``alipay.trade.wap.pay``); the notification's signature checked with
Alipay's public key; the trade query, close and refund calls (their answers'
signatures are checked by the SDK)."""

from __future__ import annotations

import logging
import textwrap
from dataclasses import dataclass
from typing import Any

from alipay import AliPay, AliPayConfig
from alipay.exceptions import AliPayException, AliPayValidationError

from ..config import alipay_configured, payments_settings

log = logging.getLogger("openwenku.payments")

PAID_STATUSES = ("TRADE_SUCCESS", "TRADE_FINISHED")


class ProviderError(Exception):
    """The provider could not be reached or refused the call."""


def _pem(key: str, kind: str) -> str:
    """Alipay's tools hand out bare base64 keys; the SDK wants PEM."""
    key = key.strip()
    if "-----BEGIN" in key:
        return key
    body = "\n".join(textwrap.wrap("".join(key.split()), 64))
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"


def client() -> AliPay:
    if not alipay_configured():
        raise ProviderError("Alipay is not configured")
    s = payments_settings()
    alipay = AliPay(
        appid=s["ALIPAY_APP_ID"],
        app_notify_url=None,
        app_private_key_string=_pem(s["ALIPAY_PRIVATE_KEY"], "PRIVATE KEY"),
        alipay_public_key_string=_pem(s["ALIPAY_PUBLIC_KEY"], "PUBLIC KEY"),
        sign_type="RSA2",
        debug=bool(s.get("ALIPAY_SANDBOX")),
        config=AliPayConfig(timeout=15),
    )
    if s.get("ALIPAY_GATEWAY"):
        alipay._gateway = s["ALIPAY_GATEWAY"]  # the SDK has no public setting for it
    return alipay


def pay_url(
    *,
    number: str,
    amount: str,
    subject: str,
    notify_url: str,
    return_url: str,
    mobile: bool,
    timeout_minutes: int,
) -> str:
    """The address the member's browser goes to, to pay."""
    alipay = client()
    api = alipay.api_alipay_trade_wap_pay if mobile else alipay.api_alipay_trade_page_pay
    query = api(
        subject=subject,
        out_trade_no=number,
        total_amount=amount,
        return_url=return_url,
        notify_url=notify_url,
        timeout_express=f"{timeout_minutes}m",
    )
    return f"{alipay._gateway}?{query}"


def verify_notification(params: dict[str, str]) -> bool:
    """Whether Alipay signed these parameters (sign and sign_type excluded, sorted)."""
    data = dict(params)
    signature = data.pop("sign", "")
    if not signature or data.get("sign_type", "RSA2") != "RSA2":
        return False
    try:
        return bool(client().verify(data, signature))
    except (AliPayException, ProviderError, ValueError, TypeError) as exc:
        log.warning("alipay notification: signature not checkable: %s", exc)
        return False


@dataclass(frozen=True)
class Trade:
    exists: bool
    status: str = ""
    trade_no: str = ""
    total_amount: str = ""


def _call(name: str, **kwargs: Any) -> dict[str, Any]:
    try:
        result = getattr(client(), name)(**kwargs)
    except AliPayValidationError as exc:
        raise ProviderError("the answer's signature is wrong") from exc
    except AliPayException as exc:
        raise ProviderError(str(exc)) from exc
    except OSError as exc:
        raise ProviderError(f"unreachable: {exc}") from exc
    return dict(result)


def query(number: str) -> Trade:
    result = _call("api_alipay_trade_query", out_trade_no=number)
    if result.get("code") == "10000":
        return Trade(
            exists=True,
            status=str(result.get("trade_status", "")),
            trade_no=str(result.get("trade_no", "")),
            total_amount=str(result.get("total_amount", "")),
        )
    if result.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
        return Trade(exists=False)
    raise ProviderError(f"{result.get('code')} {result.get('sub_code')} {result.get('sub_msg')}")


def close(number: str) -> None:
    """Close an unpaid trade (nothing to do when the member never opened it)."""
    result = _call("api_alipay_trade_close", out_trade_no=number)
    if result.get("code") == "10000" or result.get("sub_code") == "ACQ.TRADE_NOT_EXIST":
        return
    raise ProviderError(f"{result.get('code')} {result.get('sub_code')} {result.get('sub_msg')}")


def refund(number: str, amount: str) -> None:
    result = _call(
        "api_alipay_trade_refund",
        refund_amount=amount,
        out_trade_no=number,
        out_request_no=f"{number}-R",
    )
    if result.get("code") != "10000":
        raise ProviderError(
            f"{result.get('code')} {result.get('sub_code')} {result.get('sub_msg')}"
        )
