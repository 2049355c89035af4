from datetime import datetime

from ninja import Schema


class ErrorOut(Schema):
    detail: str


class CategoryOut(Schema):
    id: int
    name: str
    slug: str
    parent_id: int | None
    path: str


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


class DocumentListOut(Schema):
    count: int
    page: int
    pages: int
    results: list[DocumentOut]


class TokenIn(Schema):
    username: str
    password: str
    name: str = ""


class TokenOut(Schema):
    token: str
    prefix: str
