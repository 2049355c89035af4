"""Schemas of the documents, catalogue and token endpoints. Outputs read model
objects: computed fields are resolvers, so no endpoint builds a dict by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Field, Schema

from openwenku.documents.models import Category, Document
from openwenku.documents.status import status_label, status_reasons

from ..models import ApiToken
from .text import Text


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None
    path: str

    @staticmethod
    def resolve_path(obj: Category) -> str:
        return str(obj)


class DocumentOut(Schema):
    id: int
    title: str
    description: str
    url: str
    status: str
    status_label: str
    error: str | None
    # Held for review or rejected: why (every reason, in the reader's language).
    reasons: list[str]
    format: str
    page_count: int
    pages_ready: int
    size: int
    sha256: str
    original_name: str
    price: int
    category: CategoryOut | None
    tags: list[str]
    uploader: str
    created_at: datetime
    converted_at: datetime | None

    @staticmethod
    def resolve_url(obj: Document, context: dict[str, Any]) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())

    @staticmethod
    def resolve_status_label(obj: Document) -> str:
        return str(status_label(obj))

    @staticmethod
    def resolve_reasons(obj: Document) -> list[str]:
        return status_reasons(obj)

    @staticmethod
    def resolve_error(obj: Document) -> str | None:
        return obj.failure_message or None

    @staticmethod
    def resolve_tags(obj: Document) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_uploader(obj: Document) -> str:
        return obj.owner.masked_name


class TokenIn(Schema):
    username: Text
    password: Text
    name: Text = ""
    # What the token may do: read, upload, money (spend and withdraw coins).
    scopes: list[Literal["read", "upload", "money", "moderate"]] = ["read", "upload"]
    # Days until it expires; the site's limit (OPENWENKU_API_TOKEN_DAYS) if more or unset.
    days: int | None = Field(default=None, ge=1, le=3650)


class TokenOut(Schema):
    token: str
    prefix: str
    scopes: list[str]
    expires_at: datetime | None


class TokenInfoOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool

    @staticmethod
    def resolve_scopes(obj: ApiToken) -> list[str]:
        return obj.scope_list
