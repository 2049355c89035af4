"""Validation rules for member data, shared by forms and services."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DISPLAY_NAME_MAX_LENGTH = 50

# Zero-width (non-)joiners are format characters too, but emoji sequences and
# several scripts need them; every other format character (bidi overrides,
# zero-width spaces, ...) only serves to disguise a name.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
_FORBIDDEN_CATEGORIES = {"Cc", "Cs", "Co", "Zl", "Zp"}


def _is_control(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in _ALLOWED_FORMAT_CHARACTERS
    return category in _FORBIDDEN_CATEGORIES


def validate_display_name(value: str) -> None:
    """Reject display names that are too long or hide control characters."""
    if len(value) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Display names can have at most %(limit)d characters."),
            code="max_length",
            params={"limit": DISPLAY_NAME_MAX_LENGTH},
        )
    if any(_is_control(char) for char in value):
        raise ValidationError(
            _("Display names cannot contain control characters."), code="control_characters"
        )


def clean_display_name(value: str | None) -> str:
    """The display name as stored: surrounding whitespace removed, then validated."""
    value = (value or "").strip()
    validate_display_name(value)
    return value


def validate_username_not_email(value: str) -> None:
    """Members log in with their username or e-mail address, so usernames carry no "@"."""
    if "@" in value:
        raise ValidationError(
            _("Usernames cannot contain “@”; it is reserved for logging in by e-mail."),
            code="username_at_sign",
        )
