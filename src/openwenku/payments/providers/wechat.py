"""WeChat Pay API v3 through wechatpayv3: Native pay (a ``code_url`` drawn as a
QR code), notifications (signature checked with WeChat Pay's public key,
resource decrypted with AES-256-GCM and the API v3 key), query, close, refund.
Answers are checked by the SDK with the same public key."""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from wechatpayv3 import WeChatPay, WeChatPayType

from ..config import payments_settings, wechat_configured
from .alipay import ProviderError

log = logging.getLogger("openwenku.payments")

# A notification older or newer than this is a replay (WeChat Pay's advice: 5 minutes).
MAX_CLOCK_SKEW = 300


def client() -> WeChatPay:
    if not wechat_configured():
        raise ProviderError("WeChat Pay is not configured")
    s = payments_settings()
    wechat = WeChatPay(
        wechatpay_type=WeChatPayType.NATIVE,
        mchid=s["WECHAT_MCHID"],
        private_key=s["WECHAT_PRIVATE_KEY"],
        cert_serial_no=s["WECHAT_CERT_SERIAL_NO"],
        appid=s["WECHAT_APPID"],
        apiv3_key=s["WECHAT_APIV3_KEY"],
        public_key=s["WECHAT_PUBLIC_KEY"],
        public_key_id=s["WECHAT_PUBLIC_KEY_ID"],
        timeout=(5, 15),
    )
    if s.get("WECHAT_GATEWAY"):
        wechat._core._gate_way = s["WECHAT_GATEWAY"]  # the SDK has no public setting for it
    return wechat


def _call(name: str, **kwargs: Any) -> tuple[int, Any]:
    try:
        code, message = getattr(client(), name)(**kwargs)
    except Exception as exc:  # the SDK raises bare Exception (bad signature, network)
        raise ProviderError(f"{type(exc).__name__}: {exc}") from exc
    return int(code), message


def native_code_url(
    *, number: str, amount_fen: int, description: str, notify_url: str, expires_at: dt.datetime
) -> str:
    code, message = _call(
        "pay",
        description=description,
        out_trade_no=number,
        amount={"total": amount_fen, "currency": "CNY"},
        notify_url=notify_url,
        time_expire=expires_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
    )
    if code != 200:
        raise ProviderError(f"{code} {message}")
    return str(json.loads(message)["code_url"])


def h5_url(
    *,
    number: str,
    amount_fen: int,
    description: str,
    notify_url: str,
    expires_at: dt.datetime,
    client_ip: str,
    return_url: str,
) -> str:
    """H5 pay: the address a phone's browser (outside WeChat) opens to pay."""
    code, message = _call(
        "pay",
        description=description,
        out_trade_no=number,
        amount={"total": amount_fen, "currency": "CNY"},
        notify_url=notify_url,
        time_expire=expires_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
        scene_info={"payer_client_ip": client_ip, "h5_info": {"type": "Wap"}},
        pay_type=WeChatPayType.H5,
    )
    if code != 200:
        raise ProviderError(f"{code} {message}")
    url = str(json.loads(message)["h5_url"])
    return f"{url}&redirect_url={quote(return_url, safe='')}"


@dataclass(frozen=True)
class Paid:
    """A decrypted notification or a query's answer."""

    appid: str
    mchid: str
    number: str
    transaction_id: str
    trade_state: str
    total_fen: int | None
    success_time: dt.datetime | None


def _paid(data: Mapping[str, Any]) -> Paid:
    amount = data.get("amount") or {}
    total = amount.get("total")
    cny = amount.get("currency", "CNY") == "CNY"
    success = None
    if data.get("success_time"):
        try:
            success = dt.datetime.fromisoformat(str(data["success_time"]))
        except ValueError:
            success = None
    return Paid(
        appid=str(data.get("appid", "")),
        mchid=str(data.get("mchid", "")),
        number=str(data.get("out_trade_no", "")),
        transaction_id=str(data.get("transaction_id", "")),
        trade_state=str(data.get("trade_state", "")),
        total_fen=total if isinstance(total, int) and cny else None,
        success_time=success,
    )


def read_notification(headers: Mapping[str, str], body: str) -> Paid | None:
    """The notification's content, or None unless WeChat Pay signed it (recently)
    and it decrypts with the API v3 key."""
    try:
        stamp = int(headers.get("Wechatpay-Timestamp", ""))
    except ValueError:
        return None
    if abs(time.time() - stamp) > MAX_CLOCK_SKEW:
        log.warning("wechat notification: timestamp %s out of range", stamp)
        return None
    try:
        plain = client().decrypt_callback(headers, body)
    except Exception as exc:  # unsupported algorithm, malformed body
        log.warning("wechat notification: not readable: %s", exc)
        return None
    if not plain:
        return None
    try:
        return _paid(json.loads(plain))
    except (ValueError, AttributeError):
        return None


def query(number: str) -> Paid | None:
    """None when WeChat Pay has no such trade."""
    code, message = _call("query", out_trade_no=number)
    if code == 404:
        return None
    if code != 200:
        raise ProviderError(f"{code} {message}")
    return _paid(json.loads(message))


def close(number: str) -> None:
    code, message = _call("close", out_trade_no=number)
    if code not in (200, 204):
        raise ProviderError(f"{code} {message}")


def refund(number: str, amount_fen: int) -> None:
    code, message = _call(
        "refund",
        out_refund_no=f"{number}R",
        amount={"refund": amount_fen, "total": amount_fen, "currency": "CNY"},
        out_trade_no=number,
    )
    if code != 200:
        raise ProviderError(f"{code} {message}")
    status = json.loads(message).get("status")
    if status not in ("SUCCESS", "PROCESSING"):
        raise ProviderError(f"refund {status}")
