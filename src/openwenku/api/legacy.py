"""Refusals of apps that do not carry the error contract yet, in its form.

``market.services.MarketRefused`` (and its subclasses) and
``documents.services.UploadRefused`` are becoming ``ApplicationError``
subclasses with these codes and statuses. Once they are, ``REFUSALS`` is empty
and ``as_application_error`` never gets here: delete this module then.
"""

from __future__ import annotations

from typing import Any

from openwenku.core.errors import ApplicationError
from openwenku.documents.services import UploadRefused
from openwenku.market.services import InsufficientCoins, MarketRefused

# The status of each market refusal, as the API has always answered it.
_MARKET_STATUS = {
    "insufficient_balance": 402,
    "idempotency_conflict": 409,
    "already_signed_in": 409,
    "download_limit": 429,
}

REFUSALS: tuple[type[Exception], ...] = tuple(
    cls for cls in (MarketRefused, UploadRefused) if not issubclass(cls, ApplicationError)
)


class _Bridged(ApplicationError):
    def __init__(self, message: str, *, code: str, status: int, **extra: Any) -> None:
        super().__init__(message, code=code, status=status)
        self._extra = extra

    def extra(self) -> dict[str, Any]:
        return self._extra


def as_application_error(exc: Exception) -> ApplicationError | None:
    if isinstance(exc, ApplicationError) or not isinstance(exc, REFUSALS):
        return None
    if isinstance(exc, UploadRefused):
        return _Bridged(exc.reason, code="upload_refused", status=400)
    assert isinstance(exc, MarketRefused)
    extra = (
        {"balance": exc.balance, "price": exc.price} if isinstance(exc, InsufficientCoins) else {}
    )
    return _Bridged(
        str(exc.message), code=exc.code, status=_MARKET_STATUS.get(exc.code, 400), **extra
    )
