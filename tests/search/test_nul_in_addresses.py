"""A NUL character in a search filter or a category address is no such category,
not a 500 (PostgreSQL's text columns cannot hold it; found while fuzzing the API)."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.mark.parametrize("url", ["/search?category=%00x", "/search?q=x&category=a%00"])
def test_a_nul_category_filter_is_ignored(url):
    assert Client().get(url).status_code == 200


def test_a_nul_category_address_is_not_found():
    assert Client().get("/c/%00/").status_code == 404
    assert Client().get("/c/a%00b/").status_code == 404
