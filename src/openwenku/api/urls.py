"""The API: one NinjaAPI, its routers, and the one place refusals become responses.

Endpoints never build an error body: whatever refuses raises, and
``application_error`` answers ``{"code": …, "detail": …}`` plus the error's
machine-readable extras, with the error's status (``core.errors``). Django's
and ninja's own refusals (``Http404``, ``PermissionDenied``, authentication,
request validation) and a bare ``ValueError`` are mapped here too, under
generic codes (``not_found``, ``forbidden``, ``needs_login``,
``invalid_request``, ``malformed_body``, ``invalid``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestInvalid
from pydantic import ValidationError as PydanticValidationError

from openwenku.core.errors import (
    ApplicationError,
    Forbidden,
    LoginRequired,
    NotFound,
    TooManyRequests,
)

from . import copyright, documents, market, moderation, search
from .auth import AUTH
from .errors import MalformedBody

api = NinjaAPI(
    title="OpenWenku API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    description="Upload documents, follow their conversion, list your documents, search, "
    "buy and sell. Authenticate with `Authorization: Bearer <token>` "
    "(POST /api/auth/token) or a session. Every refusal answers "
    '`{"code": …, "detail": …}` (schema `ErrorOut`): `code` is stable, `detail` is for people.',
)
api.add_router("/", documents.router)
api.add_router("/market", market.router)
api.add_router("/search", search.router)
api.add_router("/moderation", moderation.router)
api.add_router("/copyright", copyright.router)


class InvalidRequest(ApplicationError):
    """422: the request does not match the endpoint's schema; ``errors`` says where."""

    code = "invalid_request"
    status = 422
    default_message = _("The request is not valid.")

    def __init__(self, errors: list[dict[str, object]]) -> None:
        super().__init__()
        self.errors = errors

    def extra(self) -> dict[str, object]:
        return {"errors": self.errors}


def as_application_error(exc: Exception) -> ApplicationError:
    """The error contract's form of any refusal that reaches the API."""
    if isinstance(exc, ApplicationError):
        return exc
    if isinstance(exc, Http404):
        return NotFound()
    if isinstance(exc, PermissionDenied):
        return Forbidden()
    if isinstance(exc, RequestInvalid):
        return InvalidRequest(exc.errors)
    if isinstance(exc, AuthenticationError):
        return LoginRequired()
    if isinstance(exc, HttpError):
        if exc.status_code == 429:
            return TooManyRequests()
        if exc.status_code == 400:  # ninja could not parse the body
            return MalformedBody()
        return ApplicationError(code="error", status=exc.status_code)
    if isinstance(exc, PydanticValidationError):
        raise exc  # an answer that does not fit its schema is our bug: a 500, not a 400
    assert isinstance(exc, ValueError)
    # A bare ValueError from below: "invalid", with no internal text shown to people.
    return ApplicationError(_("The request is not valid."), code="invalid")


def application_error(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    """The API's one mapping of the error contract: ``{"code", "detail", …}``."""
    error = as_application_error(exc if isinstance(exc, Exception) else exc())
    response = api.create_response(request, error.as_dict(), status=error.status)
    for name, value in error.headers().items():
        response[name] = value
    return response


for refusal in (
    ApplicationError,
    Http404,
    PermissionDenied,
    RequestInvalid,
    HttpError,
    ValueError,
):
    api.add_exception_handler(refusal, application_error)


def _answering_head(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """HEAD answered as GET (RFC 9110), as the site's pages do with require_safe:
    the server (gunicorn) sends the headers only. Other methods pass through."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if request.method == "HEAD":
            request.method = "GET"
            try:
                return view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
        return view(request, *args, **kwargs)

    return wrapper


def urls() -> tuple[list[URLResolver | URLPattern], str, str]:
    """The API's URL patterns for ``include``: ninja's, each answering HEAD too."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _answering_head(pattern.callback)
    return patterns, app_name, namespace
