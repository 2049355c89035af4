"""410 Gone for the page of a deleted public document (see models.RemovedDocument)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .models import RemovedDocument


class RemovedDocumentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = request.resolver_match
        if (
            response.status_code == 404
            and match is not None
            and match.view_name == "documents:detail"
            and RemovedDocument.objects.filter(id=int(match.kwargs.get("pk", 0))).exists()
        ):
            return HttpResponse(
                render_to_string("discovery/gone.html", request=request), status=410
            )
        return response
