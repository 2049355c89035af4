"""Moderation tests of the review queue, reports, penalties and the audit page:
the site's default publish policy, operators holding only the permissions a test
names, real uploads. (A folder of their own: tests/moderation/conftest.py belongs to
the copyright tests.) The site's default policy: new members' first uploads are reviewed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from openwenku.api.models import ApiToken


@pytest.fixture(autouse=True)
def review_new_members(settings):
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "REVIEW_POLICY": "new_members",
        "REVIEW_FIRST_UPLOADS": 3,
    }


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(django_user_model, fast_passwords):
    def make(name, *perms, **extra):
        user = django_user_model.objects.create_user(
            username=name, password="s3cret-Passw0rd", email=f"{name}@example.com", **extra
        )
        for perm in perms:
            app, codename = perm.split(".", 1)
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app, codename=codename)
            )
        return django_user_model.objects.get(pk=user.pk)

    return make


@pytest.fixture
def operator(make_user):
    """An operator holding moderation's powers and the audit log (not a superuser)."""
    return make_user(
        "op",
        "moderation.review_document",
        "moderation.handle_report",
        "audit.view_auditentry",
        is_staff=True,
    )


@pytest.fixture
def other(make_user):
    return make_user("lisi")


def upload_txt(client, tmp_path, text: str, name: str = "讲义.txt"):
    """Upload a .txt through the real upload page; returns the response."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with open(path, "rb") as fh:
        return client.post(
            reverse("documents:upload"), {"files": fh}, HTTP_ACCEPT="application/json"
        )


def token_for(user, *scopes):
    return ApiToken.issue(user=user, scopes=scopes or ("read", "moderate"))[1]


TEXT = "机器学习是人工智能的一个分支，研究计算机如何从数据中学习规律。" * 20


@pytest.fixture
def rejection_reasons(db):
    """The seeded reasons (a transactional test's flush removes migration rows)."""
    import importlib

    from openwenku.moderation.models import RejectionReason

    seed = importlib.import_module("openwenku.moderation.migrations.0003_operators_and_reasons")
    for position, text in enumerate(seed.REASONS):
        RejectionReason.objects.get_or_create(text=text, defaults={"position": position})
