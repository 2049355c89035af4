"""The accounts strings have Simplified Chinese translations that compile."""

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

import openwenku

PO_FILE = Path(openwenku.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
def test_catalogue_compiles_and_translates_accounts_strings(tmp_path):
    mo_file = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(mo_file), str(PO_FILE)], check=True, capture_output=True
    )
    with mo_file.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    assert catalogue.gettext("Register") == "注册"
    assert catalogue.gettext("Log in") == "登录"
    assert catalogue.gettext("Profile") == "个人资料"
    assert catalogue.gettext("Change password") == "修改密码"
    assert catalogue.gettext("Reset password") == "找回密码"
    assert catalogue.gettext("Username or e-mail") == "用户名或邮箱"
