from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
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
