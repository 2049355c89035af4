from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import throttling
from .models import User
from .services import DUPLICATE_EMAIL_MESSAGE, email_in_use
from .validators import clean_display_name, validate_username_not_email


class MemberFieldsMixin:
    """Cleaning shared by registration and profile: display name and e-mail."""

    # Provided by the ModelForm this is mixed into.
    cleaned_data: dict[str, Any]
    instance: User

    def clean_display_name(self) -> str:
        return clean_display_name(self.cleaned_data.get("display_name"))

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data.get("email", "").strip())
        if email_in_use(email, exclude_pk=self.instance.pk):
            raise ValidationError(DUPLICATE_EMAIL_MESSAGE, code="duplicate_email")
        return email


class RegisterForm(MemberFieldsMixin, UserCreationForm):
    """Validation of a sign-up; ``registration.registration_start`` answers it.

    It never says an address is taken (the address's owner is told by mail):
    only the username, which is public, may be refused as taken."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["display_name"].help_text = _(
            "Optional. Shown to others instead of your username (masked on public pages)."
        )
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        self.fields["username"].validators.append(validate_username_not_email)
        self.fields["username"].help_text = _(
            "Required. 150 characters or fewer. Letters, digits and . + - _ only."
        )

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data.get("email", "").strip())

    def _get_validation_exclusions(self) -> set[str]:
        # Not the e-mail: the model's unique-address constraint would say it is taken.
        return {*super()._get_validation_exclusions(), "email"}  # type: ignore[misc]  # not in the stubs


class ProfileForm(MemberFieldsMixin, forms.ModelForm):
    """Display name and e-mail; a new e-mail address needs the current password,
    so whoever finds a session open cannot take the account over by a reset mail."""

    current_password = forms.CharField(
        label=_("Current password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Required to change your e-mail address."),
    )

    class Meta:
        model = User
        fields = ("display_name", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["display_name"].help_text = _("Leave empty to be shown by your username.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        new_email = cleaned.get("email")
        if new_email and new_email.casefold() != (self.instance.email or "").casefold():
            # The instance is the member's own copy, reloaded by the view.
            stored = User.objects.get(pk=self.instance.pk)
            if not stored.check_password(cleaned.get("current_password") or ""):
                self.add_error(
                    "current_password",
                    ValidationError(
                        _("Enter your current password to change your e-mail address."),
                        code="password_required",
                    ),
                )
        return cleaned


LOCKED_OUT = "too_many_attempts"


class LoginForm(AuthenticationForm):
    """Django's login form, taking a username or an e-mail address, with throttling."""

    username = UsernameField(
        label=_("Username or e-mail"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct username or e-mail address and password. "
            "Note that the password is case-sensitive."
        ),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        # AuthenticationForm sizes the field for usernames; e-mail addresses are longer.
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.max_length = 254
        self.fields["username"].widget.attrs["maxlength"] = 254

    def clean(self) -> dict[str, Any]:
        # The throttle (django-axes, first among the authentication backends)
        # counts the failure and refuses a locked-out account or address.
        try:
            return super().clean()
        except ValidationError:
            if self.request is not None and throttling.is_locked_out(self.request):
                raise ValidationError(throttling.login_lockout_message(), code=LOCKED_OUT) from None
            raise

    def get_invalid_login_error(self) -> ValidationError:
        return ValidationError(self.error_messages["invalid_login"], code="invalid_login")
