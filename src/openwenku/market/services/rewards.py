"""Coins the site gives: a reward for publishing a new file and the daily
sign-in (签到). Each is granted at most once, and the database says so: a
unique row per file hash (``RewardedFile``) and per member and day (``SignIn``)
is created in the same transaction as the ledger entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from openwenku.documents.models import Document

from .. import ledger
from ..models import LedgerEntry, RewardedFile, SignIn
from ..selectors import market_settings
from .errors import AlreadySignedIn

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Kind = LedgerEntry.Kind


def upload_reward_grant(*, document_id: int) -> LedgerEntry | None:
    """Reward the uploader of a newly published document, once per file ever.

    The file's SHA-256 is remembered for good, so deleting and uploading the
    same file again (or a copy of someone else's) earns nothing.
    """
    document = Document.objects.filter(pk=document_id, status=Document.Status.READY).first()
    if document is None:
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
        return ledger.post(
            wallet, reward, Kind.UPLOAD_REWARD, document_id=document.pk, memo=document.title
        )


def signin_claim(*, user: User) -> int:
    """The daily sign-in (签到): once a local day, rewarded with coins."""
    reward = market_settings().signin_reward
    day = timezone.localdate()
    wallet_id = ledger.wallet_id_for_user(user.pk)
    with transaction.atomic():
        try:
            with transaction.atomic():
                SignIn.objects.create(user=user, day=day, reward=reward)
        except IntegrityError:
            raise AlreadySignedIn() from None
        if reward:
            wallet = ledger.lock_wallets([wallet_id])[wallet_id]
            ledger.post(wallet, reward, Kind.SIGNIN_REWARD, memo=day.isoformat())
    return reward
