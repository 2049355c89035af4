"""Coins the site gives: a reward for publishing a new file and the daily
sign-in (签到), and taking an upload reward back.

Each is granted at most once, and the database says so: a unique row per file
hash (``RewardedFile``) and per member and day (``SignIn``) is created in the
same transaction as the ledger entry. Rewards cannot be farmed:

- an upload earns only if the document meets the minimum-content rule and no
  later check vetoes it (``documents.content.reward_eligible``); the rule is
  asked on publishing and again when OCR adds text, and a document refused
  now leaves no trace, so it can still earn once when it qualifies;
- reward coins (upload + sign-in) are capped per member and local day
  (``OPENWENKU_REWARD_DAILY_CAP``), counted from the ledger while the wallet
  is locked, so racing grants cannot pass the cap; a reward over the cap is
  cut to what is left and an upload reward that finds nothing left is
  forfeited (its file is remembered as rewarded);
- ``reward_clawback`` takes an upload reward back when an operator removes
  the document for cause.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from openwenku.documents.content import reward_eligible
from openwenku.documents.models import Document

from .. import ledger
from ..models import LedgerEntry, RewardClawback, RewardedFile, SignIn, Wallet
from ..selectors import market_settings
from .errors import AlreadySignedIn, MemberInactive

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind
REWARD_KINDS = (Kind.UPLOAD_REWARD, Kind.SIGNIN_REWARD)


def _today_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def _within_daily_cap(wallet: Wallet, reward: int) -> int:
    """How much of ``reward`` the locked wallet may still receive today."""
    cap = settings.OPENWENKU["REWARD_DAILY_CAP"]
    if cap <= 0:
        return reward
    assert transaction.get_connection().in_atomic_block, "count rewards under the wallet lock"
    earned = LedgerEntry.objects.filter(
        wallet=wallet, kind__in=REWARD_KINDS, created_at__gte=_today_start()
    ).aggregate(n=Coalesce(Sum("amount"), 0))["n"]
    return max(0, min(reward, cap - earned))


def upload_reward_grant(*, document_id: int) -> LedgerEntry | None:
    """Reward the uploader of a published document, once per file ever.

    Called when the document is published and when OCR adds text to it. The
    file's SHA-256 is remembered for good once it earned (or forfeited) a
    reward, so deleting and uploading the same file again (or a copy of
    someone else's) earns nothing.
    """
    document = Document.objects.filter(pk=document_id).first()
    if document is None or not document.owner.is_active or not reward_eligible(document):
        return None
    reward = market_settings().upload_reward
    wallet_id = ledger.wallet_id_for_user(document.owner_id)
    with transaction.atomic():
        try:
            with transaction.atomic():
                RewardedFile.objects.create(sha256=document.sha256, document_id=document.pk)
        except IntegrityError:
            return None  # seen before (or this document was already rewarded)
        if Document.objects.filter(sha256=document.sha256, pk__lt=document.pk).exists():
            return None
        if not reward:
            return None
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        amount = _within_daily_cap(wallet, reward)
        if not amount:
            return None  # today's cap is reached: this document's reward is forfeited
        return ledger.post(
            wallet, amount, Kind.UPLOAD_REWARD, document_id=document.pk, memo=document.title
        )


def signin_claim(*, user: User) -> int:
    """The daily sign-in (签到): once a local day, rewarded with coins (within
    the daily cap). Returns the coins granted; an inactive account gets none."""
    if not user.is_active:
        raise MemberInactive
    reward = market_settings().signin_reward
    day = timezone.localdate()
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                signin = SignIn.objects.create(user=user, day=day, reward=0)
        except IntegrityError:
            raise AlreadySignedIn() from None
        if not reward:
            return 0
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        amount = _within_daily_cap(wallet, reward)
        if amount:
            ledger.post(wallet, amount, Kind.SIGNIN_REWARD, memo=day.isoformat())
            signin.reward = amount
            signin.save(update_fields=["reward"])
    return amount


def reward_clawback(
    *, document: Document, reason: str, by: User | None = None
) -> RewardClawback | None:
    """Take back the upload reward of a document removed for cause.

    Never edits history: a ``reward_clawback`` ledger entry reverses what the
    wallet can cover now (balances never go negative); the shortfall, if any,
    is recorded as owed on the ``RewardClawback`` row. Once per document;
    None if the document earned no reward or was already clawed back. Not for
    an uploader who unpublishes their own document.
    """
    rewarded = (
        LedgerEntry.objects.filter(document_id=document.pk, kind=Kind.UPLOAD_REWARD)
        .select_related("wallet")
        .first()
    )
    if rewarded is None or rewarded.wallet.user_id is None:
        return None
    memo = ((reason or "").strip() or "removed for cause")[:255]
    wallet_id = rewarded.wallet_id
    with transaction.atomic():
        wallet = ledger.lock_wallets([wallet_id])[wallet_id]
        taken = min(wallet.balance, rewarded.amount)
        try:
            with transaction.atomic():
                clawback = RewardClawback.objects.create(
                    document_id=document.pk,
                    user_id=rewarded.wallet.user_id,
                    reward=rewarded.amount,
                    taken=taken,
                    reason=memo,
                    created_by=by,
                )
        except IntegrityError:
            return None  # already taken back
        if taken:
            ledger.post(
                wallet,
                -taken,
                Kind.REWARD_CLAWBACK,
                document_id=document.pk,
                created_by=by,
                memo=memo,
            )
    return clawback
