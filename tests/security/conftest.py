from tests.market.conftest import users  # noqa: F401  (members in every role)
