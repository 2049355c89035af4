"""API endpoints: thin wrappers over the documents services and selectors."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.cache import cache
from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from openwenku.core.text import human_size
from openwenku.discovery.models import Category
from openwenku.documents import selectors, services
from openwenku.documents.models import Document
from openwenku.documents.status import status_label

from .auth import OPTIONAL_AUTH
from .models import ApiToken
from .schemas import CategoryOut, DocumentListOut, DocumentOut, ErrorOut, TokenIn, TokenOut

router = Router()
PAGE_SIZE = 50


def _category_out(category: Category | None) -> dict | None:
    if category is None:
        return None
    return {
        "id": category.pk,
        "name": category.name,
        "slug": category.slug,
        "parent_id": category.parent_id,
        "path": str(category),
    }


def document_out(request: HttpRequest, d: Document) -> dict:
    return {
        "id": d.pk,
        "title": d.title,
        "description": d.description,
        "url": request.build_absolute_uri(d.get_absolute_url()),
        "status": d.status,
        "status_label": status_label(d),
        "error": d.failure_message or None,
        "format": d.format,
        "page_count": d.page_count,
        "pages_ready": d.pages_ready,
        "size": d.size,
        "sha256": d.sha256,
        "original_name": d.original_name,
        "price": d.price,
        "category": _category_out(d.category),
        "tags": [t.name for t in d.tags.all()],
        "uploader": d.owner.masked_name,
        "created_at": d.created_at,
        "converted_at": d.converted_at,
    }


@router.post(
    "auth/token", auth=None, response={201: TokenOut, 401: ErrorOut, 429: ErrorOut}, tags=["auth"]
)
def create_token(request, payload: TokenIn):
    """Exchange a username (or e-mail) and password for a personal API token."""
    key = f"api-token-fail:{request.META.get('REMOTE_ADDR')}"
    if cache.get(key, 0) >= 10:
        return Status(429, {"detail": "Too many failed attempts; try again later."})
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        cache.set(key, cache.get(key, 0) + 1, 900)
        return Status(401, {"detail": "Invalid username or password."})
    token, raw = ApiToken.issue(user=user, name=payload.name)
    return Status(201, {"token": raw, "prefix": token.prefix})


@router.get("categories", auth=None, response=list[CategoryOut], tags=["catalogue"])
def list_categories(request):
    return [_category_out(c) for c in Category.objects.select_related("parent")]


@router.post(
    "documents", response={201: DocumentOut, 400: ErrorOut, 413: ErrorOut}, tags=["documents"]
)
def upload_document(
    request,
    file: File[UploadedFile] = None,
    title: Form[str] = "",
    description: Form[str] = "",
    category: Form[str] = "",
    tags: Form[str] = "",
    price: Form[int] = 0,
    preview_pages: Form[int | None] = None,
):
    """Upload one file (multipart field ``file``). Conversion starts at once;
    poll ``GET /api/documents/{id}`` until ``status`` is ``ready`` or ``failed``."""
    rejected = getattr(request, "rejected_uploads", None)  # set while the body streamed in
    if rejected:
        limit = human_size(settings.OPENWENKU["MAX_UPLOAD_BYTES"])
        return Status(413, {"detail": f"“{rejected[0]}”超过了 {limit} 的大小上限"})
    if file is None:
        return Status(400, {"detail": "缺少文件（multipart 字段 file）"})
    node = None
    if category:
        node = Category.objects.filter(slug=category).first() or (
            Category.objects.filter(pk=category).first() if category.isdigit() else None
        )
        if node is None:
            return Status(400, {"detail": f"没有这个分类：{category}"})
    try:
        document = services.document_create(
            owner=request.user,
            incoming=services.incoming_from_upload(file),
            title=title,
            description=description,
            category=node,
            tags=services.parse_tags(tags),
            price=price,
            preview_pages=preview_pages,
        )
    except services.UploadRefused as exc:
        return Status(400, {"detail": exc.reason})
    return Status(201, document_out(request, document))


@router.get("documents/mine", response=DocumentListOut, tags=["documents"])
def my_documents(request, page: int = 1, status: str = ""):
    """Your documents, newest first, 50 a page."""
    qs = selectors.documents_of(request.user).select_related("owner").prefetch_related("tags")
    if status:
        qs = qs.filter(status=status)
    count = qs.count()
    pages = max(1, math.ceil(count / PAGE_SIZE))
    page = min(max(1, page), pages)
    items = qs[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return {
        "count": count,
        "page": page,
        "pages": pages,
        "results": [document_out(request, d) for d in items],
    }


@router.get(
    "documents/{int:document_id}",
    response={200: DocumentOut, 404: ErrorOut},
    auth=OPTIONAL_AUTH,
    tags=["documents"],
)
def get_document(request, document_id: int):
    """A document's metadata and conversion status. Anyone may read a ready
    document's; a converting or failed one only its uploader and operators."""
    document = selectors.document_for_reader(request.user, document_id)
    return document_out(request, document)
