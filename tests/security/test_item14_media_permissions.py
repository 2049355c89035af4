"""Issue 11, item 14: stored originals and page images are not world-readable."""

import stat
from pathlib import Path

import pytest

from .conftest import make_doc

pytestmark = [pytest.mark.django_db]


def test_item14_media_files_are_0640(users):
    doc = make_doc(users["uploader"], pages=1)
    for name in (doc.original.path, doc.pages.get().image.path):
        assert stat.S_IMODE(Path(name).stat().st_mode) == 0o640
        assert stat.S_IMODE(Path(name).parent.stat().st_mode) == 0o750
