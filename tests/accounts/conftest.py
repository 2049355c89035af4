import pytest
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


@pytest.fixture
def make_user(db):
    from openwenku.accounts.models import User

    def make(username="alice", email="alice@example.com", password=PASSWORD, **extra):
        return User.objects.create_user(username=username, email=email, password=password, **extra)

    return make
