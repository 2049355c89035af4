"""Account business logic; views and the CLI call these."""

from datetime import datetime

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError

from .models import Penalty
from .types import User
from .validators import clean_display_name, validate_username_not_email

DUPLICATE_EMAIL_MESSAGE = _("An account with this e-mail address already exists.")


def email_in_use(email: str, *, exclude_pk: int | None = None) -> bool:
    """Whether another member already has this address, ignoring case."""
    users = User.objects.filter(email__iexact=email.strip())
    if exclude_pk is not None:
        users = users.exclude(pk=exclude_pk)
    return users.exists()


@transaction.atomic
def user_register(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """Create an ordinary member.

    Checks everything a registration form checks, so other callers cannot
    create members the site would refuse; raises ``ValidationError`` keyed by
    field name.
    """
    email = User.objects.normalize_email((email or "").strip())
    username = User.normalize_username(username or "")
    errors: dict[str, list[ValidationError]] = {}
    try:
        display_name = clean_display_name(display_name)
    except ValidationError as exc:
        errors["display_name"] = exc.error_list
    if not email:
        errors["email"] = [ValidationError(_("An e-mail address is required."), code="required")]
    elif email_in_use(email):
        errors["email"] = [ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")]
    try:
        validate_username_not_email(username)
    except ValidationError as exc:
        errors["username"] = exc.error_list
    else:
        if User.objects.filter(username__iexact=username).exists():
            errors["username"] = [
                ValidationError(
                    User._meta.get_field("username").error_messages["unique"], code="unique"
                )
            ]
    if errors:
        raise ValidationError(errors)

    user = User(username=username, email=email, display_name=display_name)
    user.full_clean(exclude=["password"])
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.save()
    return user


def penalty_create(
    *,
    member: User,
    kind: str,
    reason: str,
    ends_at: datetime | None = None,
    imposed_by: User | None = None,
) -> Penalty:
    """Store a penalty (no audit, no notice: ``moderation.services.penalty_impose`` adds those)."""
    if kind not in Penalty.Kind.values:
        raise ValueError(f"unknown penalty kind {kind!r}")
    return Penalty.objects.create(
        member=member, kind=kind, reason=reason, ends_at=ends_at, imposed_by=imposed_by
    )


def penalty_end(*, penalty: Penalty, by: User | None) -> bool:
    """Lift a penalty now; False if it was already lifted."""
    if penalty.lifted_at is not None:
        return False
    penalty.lifted_at = timezone.now()
    penalty.lifted_by = by
    penalty.save(update_fields=["lifted_at", "lifted_by"])
    return True


class PasswordChangeRequired(ApplicationError):
    """The member logged in with a one-time password and has not replaced it."""

    code = "password_change_required"
    status = 403
    default_message = _("Choose a new password first: the one you logged in with was temporary.")


def password_change_done(*, user: User) -> None:
    """The member chose a new password: no more prompting for one."""
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
