"""Documents, catalogue and token endpoints: thin over the documents services
and the access layer. Refusals propagate to the one mapping in ``api.urls``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from openwenku.access.selectors import document_for_reader
from openwenku.accounts.types import AuthenticatedRequest
from openwenku.core.text import human_size
from openwenku.documents import selectors, services
from openwenku.documents.models import Category, Document

from . import services as api_services
from .auth import OPTIONAL_AUTH, UPLOAD_AUTH
from .errors import FileMissing, UnknownCategory, UploadTooLarge
from .models import ApiToken
from .pagination import NumberedPagination
from .schemas.documents import CategoryOut, DocumentOut, TokenIn, TokenInfoOut, TokenOut
from .schemas.errors import errors
from .schemas.text import NO_NUL

router = Router()
PAGE_SIZE = 50


@router.post(
    "auth/token", auth=None, response={201: TokenOut, **errors(400, 401, 403, 429)}, tags=["auth"]
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[TokenOut]:
    """Exchange a username (or e-mail) and password for a personal API token."""
    token, raw = api_services.token_create(
        request=request,
        username=payload.username,
        password=payload.password,
        name=payload.name,
        scopes=payload.scopes,
        days=payload.days,
    )
    return Status(
        201,
        TokenOut(
            token=raw, prefix=token.prefix, scopes=token.scope_list, expires_at=token.expires_at
        ),
    )


@router.get("auth/tokens", response={200: list[TokenInfoOut], **errors(401, 403)}, tags=["auth"])
def list_tokens(request: AuthenticatedRequest) -> QuerySet[ApiToken]:
    """Your personal tokens (never their values): name, scopes, use, expiry, revocation."""
    return ApiToken.objects.filter(user=request.user).order_by("-created_at")


@router.delete(
    "auth/tokens/{int:token_id}", response={204: None, **errors(401, 403, 404)}, tags=["auth"]
)
def revoke_token(request: AuthenticatedRequest, token_id: int) -> Status[None]:
    """Revoke one of your tokens at once (another member's answers 404)."""
    api_services.token_revoke(user=request.user, token_id=token_id)
    return Status(204, None)


@router.get("categories", auth=None, response=list[CategoryOut], tags=["catalogue"])
def list_categories(request: HttpRequest) -> QuerySet[Category]:
    return Category.objects.select_related("parent")


def _category(key: str) -> Category | None:
    """The category named by slug or id; none for an empty key."""
    if not key:
        return None
    node = Category.objects.filter(slug=key).first() or (
        Category.objects.filter(pk=key).first() if key.isdigit() else None
    )
    if node is None:
        raise UnknownCategory(category=key)
    return node


@router.post(
    "documents",
    auth=UPLOAD_AUTH,
    response={201: DocumentOut, **errors(400, 401, 403, 413, 429)},
    tags=["documents"],
)
def upload_document(
    request: AuthenticatedRequest,
    file: File[UploadedFile] = None,  # type: ignore[assignment]  # checked below, with our error
    title: str = Form("", pattern=NO_NUL),
    description: str = Form("", pattern=NO_NUL),
    category: str = Form("", pattern=NO_NUL),
    tags: str = Form("", pattern=NO_NUL),
    price: Form[int] = 0,
    preview_pages: Form[int | None] = None,
) -> Status[Document]:
    """Upload one file (multipart field ``file``). Conversion starts at once;
    poll ``GET /api/documents/{id}`` until ``status`` is ``ready`` or ``failed``."""
    rejected = getattr(request, "rejected_uploads", None)  # set while the body streamed in
    if rejected:
        limit = human_size(settings.OPENWENKU["MAX_UPLOAD_BYTES"])
        raise UploadTooLarge(name=rejected[0], limit=limit)
    if file is None:
        raise FileMissing
    document = services.document_create(
        owner=request.user,
        incoming=services.incoming_from_upload(file),
        title=title,
        description=description,
        category=_category(category),
        tags=services.parse_tags(tags),
        price=price,
        preview_pages=preview_pages,
    )
    return Status(201, document)


@router.get(
    "documents/mine", response={200: list[DocumentOut], **errors(401, 403)}, tags=["documents"]
)
@paginate(NumberedPagination, page_size=PAGE_SIZE)
def my_documents(
    request: AuthenticatedRequest, status: str = Query("", pattern=NO_NUL)
) -> QuerySet[Document]:
    """Your documents, newest first, 50 a page."""
    qs = selectors.documents_of(request.user).select_related("owner").prefetch_related("tags")
    return qs.filter(status=status) if status else qs


@router.get(
    "documents/{int:document_id}",
    response={200: DocumentOut, **errors(403, 404, 410)},
    auth=OPTIONAL_AUTH,
    tags=["documents"],
)
def get_document(request: HttpRequest, document_id: int) -> Document:
    """A document's metadata and conversion status. Anyone may read a ready
    document's; a converting or failed one only its uploader and operators; a
    document taken down for cause answers 410 (``taken_down``) to everyone."""
    document, _access = document_for_reader(request.user, document_id)
    return document
