"""Issue 14: every category select lists each sub-category under its parent (tree
order, indented), not interleaved by position: upload, edit and the search filter."""

import re

import pytest

from openwenku.documents.models import Category
from tests.search.conftest import make_doc  # noqa: F401  (a fixture)


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def _expected() -> list[str]:
    labels = []
    for parent in Category.objects.filter(parent__isnull=True).order_by("position", "id"):
        labels.append(parent.name)
        labels += [f"— {c.name}" for c in parent.children.order_by("position", "id")]
    return labels


@pytest.fixture
def tree(db, categories):
    # A deeper level and a child added late with a low position: still under its parent.
    office = Category.objects.get(slug="office")
    Category.objects.create(name="年终总结", slug="office-late", parent=office, position=0)
    return office


def test_upload_and_edit_selects_group_children_under_parents(member_client, tree, make_doc):  # noqa: F811
    expected = _expected()
    assert len(expected) > 10
    upload = _options(member_client.get("/upload/").content.decode(), "category")
    assert upload[1:] == expected  # after the empty choice
    document = make_doc("工作总结范文", ["总结"])
    edit = _options(member_client.get(f"/doc/{document.pk}/edit").content.decode(), "category")
    assert edit[1:] == expected


def test_search_filter_groups_children_under_parents(client, tree):
    options = _options(client.get("/search?q=总结").content.decode(), "category")
    assert options[1:] == _expected()


def test_a_child_chosen_in_the_upload_form_is_filed_there(member_client, tree, tmp_path):
    child = Category.objects.get(slug="office-late")
    path = tmp_path / "年终总结.txt"
    path.write_text("年终总结。\n" * 50, encoding="utf-8")
    with open(path, "rb") as fh:
        response = member_client.post(
            "/upload/", {"files": fh, "category": child.pk}, HTTP_ACCEPT="application/json"
        )
    assert response.status_code == 201, response.content
    assert Category.objects.get(documents__title="年终总结") == child
