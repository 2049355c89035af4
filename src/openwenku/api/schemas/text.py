"""Text the API reads: any string, except one holding a NUL character.

PostgreSQL's text columns cannot hold NUL, so such a string would fail deep in a
query (a 500); refused here it is a 422 ``invalid_request`` that names the field,
and the OpenAPI schema says so (``pattern``). Search is the exception: it takes
any text and ignores what it cannot use (``search.filters.parse_params``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

NO_NUL = r"^[^\x00]*$"

Text = Annotated[str, Field(pattern=NO_NUL)]
