"""The error contract as the OpenAPI schema shows it.

Every refusal answers ``{"code": …, "detail": …}`` (``core.errors.ApplicationError``
mapped once in ``api.urls``); some add machine-readable fields. ``errors()`` names
the statuses an endpoint may refuse with, so the OpenAPI schema documents them.
"""

from __future__ import annotations

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """A refusal: a stable ``code`` for programs, a ``detail`` for people."""

    code: str
    detail: str


class InsufficientCoinsOut(ErrorOut):
    """402 ``insufficient_balance``: what the buyer has and what it costs."""

    balance: int
    price: int


class ValidationErrorOut(ErrorOut):
    """422 ``invalid_request``: the request does not match the schema."""

    errors: list[dict[str, Any]]


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The refusals an endpoint documents, for its ``response=`` mapping:
    ``response={200: DocumentOut, **errors(401, 404)}``. Every endpoint may also
    answer 422 when the request does not match its schema."""
    out: dict[int, type[ErrorOut]] = {422: ValidationErrorOut}
    for status in statuses:
        out[status] = InsufficientCoinsOut if status == 402 else ErrorOut
    return out
