"""The market's row-built documents and members in every role serve these tests too."""

from tests.market.conftest import grant, make_doc, users  # noqa: F401  (fixtures and helpers)
