from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError

if TYPE_CHECKING:
    from openwenku.accounts.types import User


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Scope(models.TextChoices):
    """What a token may do. Sessions (the site itself) may do everything."""

    READ = "read", _("read")  # see documents, wallet, ledger, earnings
    UPLOAD = "upload", _("upload")  # upload documents, edit their price
    MONEY = "money", _("money")  # spend coins, sign in for coins, withdraw
    MODERATE = "moderate", _("moderate")  # operators: review, reports, penalties


DEFAULT_SCOPES = (Scope.READ, Scope.UPLOAD)


class InsufficientScope(ApplicationError):
    code = "insufficient_scope"
    status = 403
    default_message = _("This token may not do this: it lacks the “%(scope)s” scope.")


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once.

    It expires, carries scopes, can be revoked by its owner, and dies with the
    password it was issued under (``auth_hash``, like Django's session hash).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    scopes = models.CharField(_("scopes"), max_length=64, default="read,upload")
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The owner's session auth hash when issued: a new password revokes the token.
    # Empty for tokens issued before it existed: filled on their next use.
    auth_hash = models.CharField(max_length=128, blank=True, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def scope_list(self) -> list[str]:
        return [s for s in self.scopes.split(",") if s]

    @property
    def scope_labels(self) -> list[str]:
        """The scopes as people read them (in their language)."""
        return [str(Scope(s).label) for s in self.scope_list if s in Scope.values]

    @property
    def active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )

    @classmethod
    def issue(
        cls,
        *,
        user: User,
        name: str = "",
        scopes: Iterable[str] = DEFAULT_SCOPES,
        days: int | None = None,
    ) -> tuple[ApiToken, str]:
        """A new token and its raw value (shown once); ``days`` at most the site's limit."""
        limit = settings.OPENWENKU["API_TOKEN_DAYS"]
        days = min(days, limit) if days else limit
        wanted = [str(s) for s in Scope if s in set(scopes)]
        raw = "owk_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name[:100],
            key_hash=hash_token(raw),
            prefix=raw[:8],
            scopes=",".join(wanted),
            expires_at=timezone.now() + timedelta(days=days),
            auth_hash=user.get_session_auth_hash(),
        )
        return token, raw

    @classmethod
    def authenticate(cls, raw: str, scope: str = Scope.READ) -> User | None:
        """The owner of a live token, or None; InsufficientScope if it may not ``scope``."""
        token = cls.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.active or not token.user.is_active:
            return None
        current = token.user.get_session_auth_hash()
        if token.auth_hash and not constant_time_compare(token.auth_hash, current):
            return None  # the password changed since the token was issued
        if scope not in token.scope_list:
            raise InsufficientScope(scope=scope)
        now = timezone.now()
        updates: dict[str, object] = {}
        if not token.auth_hash:
            updates["auth_hash"] = current
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
            updates["last_used_at"] = now
        if updates:
            cls.objects.filter(pk=token.pk).update(**updates)
        return token.user
