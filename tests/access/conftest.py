import pytest
from django.contrib.auth.models import Group, Permission

from tests.market.conftest import users  # noqa: F401  (members in every role)


@pytest.fixture
def staff(django_user_model):
    """``staff("name", "documents.read_all_content", via="group")``: an account that may
    enter the admin site (``is_staff``, never a superuser) and holds only the named
    permissions, granted through a group of its own or directly (``via="user"``)."""

    def make(name, *perms, via="group"):
        user = django_user_model.objects.create_user(
            username=name, password="s3cret-Passw0rd", email=f"{name}@example.com", is_staff=True
        )
        granted = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (p.split(".", 1) for p in perms)
        ]
        if via == "group":
            group = Group.objects.create(name=f"{name}'s group")
            group.permissions.set(granted)
            user.groups.add(group)
        else:
            user.user_permissions.set(granted)
        return django_user_model.objects.get(pk=user.pk)  # no stale permission cache

    return make
