from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnly(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are never deleted")


class AppendOnlyError(RuntimeError):
    pass


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        REVIEW_APPROVED = "review_approved", _("Review: approved")
        REVIEW_REJECTED = "review_rejected", _("Review: rejected")
        REPORT_DISMISSED = "report_dismissed", _("Report dismissed")
        REPORT_UPHELD = "report_upheld", _("Report upheld")
        UNPUBLISHED = "unpublished", _("Unpublished")
        TAKEDOWN = "takedown", _("Taken down")
        RESTORED = "restored", _("Restored")
        NOTICE_RECEIVED = "notice_received", _("Copyright notice received")
        NOTICE_REJECTED = "notice_rejected", _("Copyright notice rejected")
        COUNTER_NOTICE = "counter_notice", _("Counter-notice filed")
        TAKEDOWN_CONFIRMED = "takedown_confirmed", _("Takedown confirmed")
        CLAIM_APPROVED = "claim_approved", _("Claim approved")
        CLAIM_REJECTED = "claim_rejected", _("Claim rejected")
        PENALTY = "penalty", _("Penalty")
        PENALTY_LIFTED = "penalty_lifted", _("Penalty lifted")
        WORDS_CHANGED = "words_changed", _("Word list changed")
        COINS_GRANTED = "coins_granted", _("Coins granted")
        REWARD_CLAWED_BACK = "reward_clawed_back", _("Reward clawed back")
        WITHDRAWAL_APPROVED = "withdrawal_approved", _("Withdrawal approved")
        WITHDRAWAL_REJECTED = "withdrawal_rejected", _("Withdrawal rejected")

    # Who did it; None for the site itself (an automatic check, a command).
    # No database constraint: the entry outlives the account and keeps its name.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("operator"),
    )
    actor_name = models.CharField(_("operator name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices, db_index=True)
    document_id = models.BigIntegerField(_("document number"), null=True, blank=True, db_index=True)
    document_title = models.CharField(_("document title"), max_length=255, blank=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("member"),
    )
    member_name = models.CharField(_("member name"), max_length=150, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    objects = AppendOnly.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are never deleted")
