from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.core.text import mask_name


class User(AbstractUser):
    """A member. Operators are staff; the Django admin is theirs."""

    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    # Set on the first operator, whose one-time password was printed on the console:
    # every page leads to the password change until a new one is chosen.
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Asked for a new password at the next page; cleared once it is changed."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            # One account per e-mail address, whatever its case; empty addresses are many.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_unique_email_ci"
            ),
        ]

    @property
    def public_name(self) -> str:
        return self.display_name or self.username

    @property
    def masked_name(self) -> str:
        return mask_name(self.public_name)


class PenaltyQuerySet(models.QuerySet["Penalty"]):
    def in_force(self, at: datetime | None = None) -> "PenaltyQuerySet":
        """Penalties in force now: not lifted, started, and not yet ended (null end: permanent)."""
        now = at or timezone.now()
        return self.filter(lifted_at__isnull=True, starts_at__lte=now).filter(
            models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now)
        )


class Penalty(models.Model):
    """A sanction on a member, imposed by an operator (or by a rule such as repeat infringement).

    It expires by itself: every check compares ``ends_at`` with the time of the check."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("Warning")
        UPLOAD_BAN = "upload_ban", _("Upload ban")
        WITHDRAWAL_FREEZE = "withdrawal_freeze", _("Withdrawal freeze")

    member = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="penalties", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    reason = models.TextField(_("reason"))
    starts_at = models.DateTimeField(_("starts at"), default=timezone.now)
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, help_text=_("Empty: permanent.")
    )
    imposed_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imposed by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PenaltyQuerySet.as_manager()

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["member", "kind", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.member_id}"

    def is_in_force(self, at: datetime | None = None) -> bool:
        now = at or timezone.now()
        return (
            self.lifted_at is None
            and self.starts_at <= now
            and (self.ends_at is None or self.ends_at > now)
        )


class PendingRegistration(models.Model):
    """A sign-up waiting for its activation link (``accounts.registration``).

    Not a member yet: it reserves neither the username nor the address, cannot
    log in and earns nothing. Several may name the same address; the first link
    followed creates the account and the others die with it.
    """

    key = models.CharField(max_length=64, unique=True, editable=False)
    username = models.CharField(_("username"), max_length=150)
    email = models.EmailField(_("email address"))
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    password = models.CharField(_("password"), max_length=128)  # a hash, like User.password
    next_url = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("pending registration")
        verbose_name_plural = _("pending registrations")

    def __str__(self) -> str:
        return self.username
