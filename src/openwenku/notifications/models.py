from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class Notification(models.Model):
    """One notice to one member; worded when read (see kinds.py)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("values"), default=dict, blank=True)
    # Where the notice leads: a path on this site ("/d/12/"), never another site.
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The header's unread count and the message centre's pages.
            models.Index(fields=["recipient", "read_at"], name="notice_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notice_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    def _rendered(self) -> tuple[str, str]:
        params: dict[str, Any] = self.params if isinstance(self.params, dict) else {}
        return kinds.get(self.kind).render(params)

    @property
    def title(self) -> str:
        return self._rendered()[0]

    @property
    def body(self) -> str:
        return self._rendered()[1]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Preferences(models.Model):
    """A member's choices about notices (no row: the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        primary_key=True,
    )
    email = models.BooleanField(
        _("e-mail me important notices"),
        default=True,
        help_text=_("Review outcomes, takedowns, claims, penalties and withdrawals."),
    )

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: email={'on' if self.email else 'off'}"
