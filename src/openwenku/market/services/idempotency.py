"""Idempotency keys: every request that moves coins on a member's behalf
(a purchase, a withdrawal) carries one, so a retried request answers as the
first did and moves nothing twice. The database enforces the key's uniqueness;
this module only makes and cleans keys."""

from __future__ import annotations

import uuid

from django.utils.translation import gettext_lazy as _

from .errors import MarketRefused

MAX_KEY_LENGTH = 64  # the width of the ``idempotency_key`` columns


def new_idempotency_key() -> str:
    """A fresh key for a form the member may submit twice."""
    return uuid.uuid4().hex


def clean_key(key: str | None) -> str:
    key = (key or "").strip()[:MAX_KEY_LENGTH]
    if not key:
        raise MarketRefused(_("The request has no idempotency key."))
    return key
