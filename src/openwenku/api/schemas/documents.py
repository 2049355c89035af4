"""Schemas of the documents, catalogue and token endpoints. Outputs read model
objects: computed fields are resolvers, so no endpoint builds a dict by hand."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from openwenku.documents.models import Category, Document
from openwenku.documents.status import status_label


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
    def resolve_error(obj: Document) -> str | None:
        return obj.failure_message or None

    @staticmethod
    def resolve_tags(obj: Document) -> list[str]:
        return [t.name for t in obj.tags.all()]

    @staticmethod
    def resolve_uploader(obj: Document) -> str:
        return obj.owner.masked_name


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    prefix: str
