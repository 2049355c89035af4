"""Refusals that belong to the API itself (signing in for a token, reading an
upload's form), on the site's one error contract."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError, TooManyRequests


class InvalidCredentials(ApplicationError):
    code = "invalid_credentials"
    status = 401
    default_message = _("Invalid username or password.")


class TooManyFailedLogins(TooManyRequests):
    code = "too_many_login_failures"
    default_message = _("Too many failed attempts; try again later.")


class FileMissing(ApplicationError):
    code = "file_missing"
    default_message = _("No file was sent (multipart field “file”).")


class UploadTooLarge(ApplicationError):
    code = "upload_too_large"
    status = 413
    default_message = _("“%(name)s” is larger than the limit of %(limit)s.")


class UnknownCategory(ApplicationError):
    code = "unknown_category"
    default_message = _("There is no category “%(category)s”.")


class MalformedBody(ApplicationError):
    """400: the body cannot be parsed at all (not JSON, or not the declared form)."""

    code = "malformed_body"
    status = 400
    default_message = _("The request body could not be read.")
