"""The web's one mapping of :class:`~openwenku.core.errors.ApplicationError`.

A view that has nothing better to do with a refusal lets it propagate; this
turns it into a page in the reader's language with the error's status, or a
JSON body ``{"code", "detail"}`` for a script that asked for JSON. Views that
show a refusal inside a form catch it themselves and use ``error.message``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ApplicationError):
            return None
        return error_response(request, exception)


def error_response(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    response: HttpResponse
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse(error.as_dict(), status=error.status)
    else:
        response = TemplateResponse(
            request,
            "core/error.html",
            {"error": error, "message": error.message},
            status=error.status,
        ).render()
    for name, value in error.headers().items():
        response[name] = value
    return response
