"""The providers' settings (``settings.OPENWENKU["PAYMENTS"]``), read when used
so that a test or a reload sees the current values."""

from __future__ import annotations

from typing import Any

from django.conf import settings

ALIPAY = "alipay"
WECHAT = "wechat"


def payments_settings() -> dict[str, Any]:
    return dict(settings.OPENWENKU.get("PAYMENTS", {}))


def alipay_configured() -> bool:
    s = payments_settings()
    return bool(
        s.get("ALIPAY_APP_ID") and s.get("ALIPAY_PRIVATE_KEY") and s.get("ALIPAY_PUBLIC_KEY")
    )


def wechat_configured() -> bool:
    s = payments_settings()
    return bool(
        s.get("WECHAT_MCHID")
        and s.get("WECHAT_APPID")
        and s.get("WECHAT_PRIVATE_KEY")
        and s.get("WECHAT_CERT_SERIAL_NO")
        and s.get("WECHAT_APIV3_KEY")
        and s.get("WECHAT_PUBLIC_KEY")
        and s.get("WECHAT_PUBLIC_KEY_ID")
    )


def providers_enabled() -> list[str]:
    """The providers a member may pay with, in the order shown."""
    out = []
    if alipay_configured():
        out.append(ALIPAY)
    if wechat_configured():
        out.append(WECHAT)
    return out


def expire_minutes() -> int:
    return int(payments_settings().get("ORDER_EXPIRE_MINUTES", 30))


def yuan(fen: int) -> str:
    """An amount in fen as the providers write it: "12.34"."""
    return f"{fen // 100}.{fen % 100:02d}"
