"""The one error contract of the site.

Services refuse a request by raising :class:`ApplicationError` (or a subclass):
a stable machine-readable ``code`` that scripts and tests rely on, a message a
person reads (a translatable string, rendered in the reader's language when it
is shown, not when it is raised), and the HTTP status it maps to. The web maps
it once (``core.middleware.ApplicationErrorMiddleware``) and the API maps it once
(``api.urls``); nothing else turns refusals into responses by hand.

Subclasses name families of refusals; a service may also raise the base class
with its own code. Codes are lower_snake_case and never change once published.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    """A refusal with a stable code, a message for a person and an HTTP status."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    default_message: ClassVar[str | Promise] = _("The request could not be completed.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> None:
        self._message = message if message is not None else self.default_message
        self.params = params
        if code is not None:
            self.code = code  # type: ignore[misc]  # instance override of the class default
        if status is not None:
            self.status = status  # type: ignore[misc]
        super().__init__(self.code)

    @property
    def message(self) -> str:
        """The message in the active language, with its parameters filled in."""
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict[str, Any]:
        """What the API answers: ``{"code": …, "detail": …}`` plus safe extras."""
        return {"code": self.code, "detail": self.message, **self.extra()}

    def extra(self) -> dict[str, Any]:
        """Further machine-readable fields for the API (e.g. a balance)."""
        return {}

    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries (the web and the API both set them)."""
        return {}


class NotFound(ApplicationError):
    """The thing does not exist, or this person may not know that it does."""

    code = "not_found"
    status = 404
    default_message = _("Not found.")


class Forbidden(ApplicationError):
    code = "forbidden"
    status = 403
    default_message = _("You may not do this.")


class LoginRequired(ApplicationError):
    code = "needs_login"
    status = 401
    default_message = _("Please log in first.")


class Conflict(ApplicationError):
    code = "conflict"
    status = 409
    default_message = _("The request conflicts with the current state.")


class TooManyRequests(ApplicationError):
    """429; ``retry_after`` (seconds), when known, becomes the Retry-After header."""

    code = "rate_limited"
    status = 429
    default_message = _("Too many requests; try again later.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        retry_after: int | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {} if self.retry_after is None else {"Retry-After": str(max(1, self.retry_after))}
