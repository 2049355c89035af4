"""Issue 14: the language switcher names each language in itself (简体中文,
English) whatever the page's language, so a reader finds theirs."""

import re

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_switcher_names_each_language_in_itself(language):
    html = Client(headers={"accept-language": language}).get("/").content.decode()
    select = re.search(r'<select name="language"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = dict(
        re.findall(r'<option value="([^"]+)" lang="[^"]+"[^>]*>([^<]+)</option>', select)
    )
    assert options == {"zh-hans": "简体中文", "en": "English"}
