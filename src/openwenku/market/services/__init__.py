"""The market's state changes (coins, purchases, downloads, rewards,
withdrawals, pricing), one module per capability so each stays small.

- ``coins``: coins coming in (grants, rewards, later recharges) and an
  operator's grants and deductions;
- ``purchases``: buying a document, refunds;
- ``downloads``: daily download caps, download and view statistics;
- ``rewards``: the upload reward and the daily sign-in (capped per day),
  taking an upload reward back;
- ``sales``: the hold on sale income, flagging and clearing farmed sales;
- ``withdrawals``: holding earned coins for payout, an operator's decision;
- ``vip``: VIP plans bought with coins or granted after a payment, VIP downloads;
- ``pricing``: who may set a price, an operator's lock;
- ``idempotency``: the keys that make a retried request harmless;
- ``errors``: the market's refusals (``ApplicationError`` subclasses).

Each change is one transaction; wallets are locked through
``ledger.lock_wallets`` (ascending id) after any other row the service locks.
The names below are re-exported so callers may keep writing
``from openwenku.market import services`` / ``services.purchase_create``.
"""

from .coins import coins_add, coins_grant
from .downloads import download_record, stats_record_view
from .errors import (
    AlreadySignedIn,
    DownloadLimitReached,
    IdempotencyConflict,
    InsufficientCoins,
    MarketRefused,
    MemberInactive,
)
from .idempotency import new_idempotency_key
from .pricing import pricing_set
from .purchases import PurchaseResult, purchase_create, purchase_refund
from .rewards import reward_clawback, signin_claim, upload_reward_grant
from .sales import sale_review_clear
from .takedowns import sale_reverse, takedown_earnings_freeze, takedown_earnings_unfreeze
from .vip import VipUnavailable, vip_buy, vip_download, vip_grant
from .withdrawals import (
    WithdrawalResult,
    withdrawal_approve,
    withdrawal_reject,
    withdrawal_request,
)

__all__ = [
    "AlreadySignedIn",
    "DownloadLimitReached",
    "IdempotencyConflict",
    "InsufficientCoins",
    "MarketRefused",
    "MemberInactive",
    "PurchaseResult",
    "VipUnavailable",
    "WithdrawalResult",
    "coins_add",
    "coins_grant",
    "download_record",
    "new_idempotency_key",
    "pricing_set",
    "purchase_create",
    "purchase_refund",
    "reward_clawback",
    "sale_reverse",
    "sale_review_clear",
    "signin_claim",
    "stats_record_view",
    "takedown_earnings_freeze",
    "takedown_earnings_unfreeze",
    "upload_reward_grant",
    "vip_buy",
    "vip_download",
    "vip_grant",
    "withdrawal_approve",
    "withdrawal_reject",
    "withdrawal_request",
]
