import warnings

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client

BACKEND = "openwenku.accounts.backends.UsernameOrEmailBackend"
PASSWORD = "Correct-Horse-42"


@pytest.fixture
def client():
    """A browser asking for English: assertions read the msgids, whatever is compiled."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    if BACKEND not in django_settings.AUTHENTICATION_BACKENDS:
        warnings.warn(
            f"settings.AUTHENTICATION_BACKENDS lacks {BACKEND}; tests add it",
            stacklevel=1,
        )
        settings.AUTHENTICATION_BACKENDS = [BACKEND]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Local-memory caches outlive a test; login failure counts must not."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_user(db):
    from openwenku.accounts.models import User

    def make(username="alice", email="alice@example.com", password=PASSWORD, **extra):
        return User.objects.create_user(username=username, email=email, password=password, **extra)

    return make
