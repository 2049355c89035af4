"""The market's refusals, on the site's one error contract.

Each is an :class:`~openwenku.core.errors.ApplicationError` with the code and
HTTP status the market has always answered with, so the web and the API map
them once instead of catching each by hand. ``MarketRefused`` stays the family:
code that catches it keeps catching every market refusal.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError


class MarketRefused(ApplicationError):
    """The market will not do this; the message says why."""

    code = "refused"
    status = 400
    default_message = _("The market refused this request.")


class InsufficientCoins(MarketRefused):
    """402 Payment Required: the balance is below the price."""

    code = "insufficient_balance"
    status = 402

    def __init__(self, balance: int, price: int) -> None:
        super().__init__(
            _("Not enough coins: your balance is %(balance)d, this costs %(price)d."),
            balance=balance,
            price=price,
        )
        self.balance = balance
        self.price = price

    def extra(self) -> dict[str, Any]:
        return {"balance": self.balance, "price": self.price}


class IdempotencyConflict(MarketRefused):
    """The key of an earlier request was sent again for a different one."""

    code = "idempotency_conflict"
    status = 409


class DownloadLimitReached(MarketRefused):
    """A daily download cap (per member or per address) is used up."""

    code = "download_limit"
    status = 429


class AlreadySignedIn(MarketRefused):
    code = "already_signed_in"
    status = 409
    default_message = _("You have already signed in today.")


__all__ = [
    "AlreadySignedIn",
    "DownloadLimitReached",
    "IdempotencyConflict",
    "InsufficientCoins",
    "MarketRefused",
]


class MemberInactive(MarketRefused):
    """A deactivated account (or one never activated) earns no coins."""

    code = "member_inactive"
    status = 403
    default_message = _("This account is not active.")
