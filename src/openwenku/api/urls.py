from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI

from openwenku.core.errors import ApplicationError

from .auth import AUTH
from .routers import router

api = NinjaAPI(
    title="OpenWenku API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    description="Upload documents, follow their conversion, list your documents. "
    "Authenticate with `Authorization: Bearer <token>` (POST /api/auth/token) or a session.",
)
api.add_router("/", router)
api.add_router("/market", "openwenku.market.api.router")
api.add_router("/search", "openwenku.search.api.router")


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "Forbidden"}, status=403)


@api.exception_handler(ApplicationError)
def application_error(request, exc: ApplicationError):
    """The API's one mapping of the error contract: ``{"code", "detail", …}``."""
    return api.create_response(request, exc.as_dict(), status=exc.status)
