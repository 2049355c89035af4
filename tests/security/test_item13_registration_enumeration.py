"""Issue 11, item 13: registering does not reveal whether an e-mail address has an
account.

Signing up answers the same (same redirect, same "we sent a link to <address>"
page, the same password hashing) whether the address is new or registered. The
address's owner learns the rest by mail: a new address gets a signed, expiring
activation link that creates the account and logs in; a registered one gets a
note that someone tried to register with it, with links to log in or reset the
password. Nothing exists before the link is followed: no login, no coins.
Usernames are public, so a taken username may still be reported.
"""

import re
import time

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail, signing
from django.test import Client

from openwenku.accounts import registration
from openwenku.accounts.models import User
from openwenku.market import services as market
from openwenku.market.models import LedgerEntry

pytestmark = [pytest.mark.django_db]

PASSWORD = "Correct-Horse-42"
SITE = "https://wenku.example.org"
LINK = re.compile(r"https?://\S+/accounts/register/activate/\S+/")


class CountingHasher(MD5PasswordHasher):
    """A real (fast) hasher that counts the passwords it hashes."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        CountingHasher.calls += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def _mail_and_hashing(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = SITE


def browser():
    return Client(headers={"accept-language": "en"})


def member(username="alice", email="alice@example.com"):
    return User.objects.create_user(username=username, email=email, password="Old-Pass-99")


def register(client, username="bob", email="bob@example.com", **extra):
    data = {
        "username": username,
        "display_name": "",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **extra,
    }
    return client.post("/accounts/register/", data)


def link_in(message) -> str:
    found = LINK.findall(message.body)
    assert len(found) == 1, message.body
    return found[0]


def activate(client, link):
    page = client.get(link.removeprefix(SITE))
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    return client.post(link.removeprefix(SITE))


def test_item13_registered_and_new_addresses_get_the_same_answer():
    alice = member()
    fresh, taken = browser(), browser()
    CountingHasher.calls = 0
    answer_new = register(fresh, "bob", "bob@example.com")
    hashed_new = CountingHasher.calls
    CountingHasher.calls = 0
    answer_taken = register(taken, "carol", "ALICE@Example.com")
    hashed_taken = CountingHasher.calls

    assert answer_new.status_code == answer_taken.status_code == 302
    assert answer_new.url == answer_taken.url
    # The same password hashing work either way (so the same time, too).
    assert hashed_new == hashed_taken == 1
    page_new = fresh.get(answer_new.url)
    page_taken = taken.get(answer_taken.url)
    assert page_new.status_code == page_taken.status_code == 200
    text_new = page_new.content.decode()
    text_taken = page_taken.content.decode()
    assert "bob@example.com" in text_new
    assert "ALICE@example.com" in text_taken  # as typed (the domain in lower case)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    normalised_new = token.sub("", text_new.replace("bob@example.com", "ADDRESS"))
    normalised_taken = token.sub("", text_taken.replace("ALICE@example.com", "ADDRESS"))
    assert normalised_new == normalised_taken
    assert "already" not in text_taken

    # Nothing changed for the registered member; no second account.
    assert not User.objects.filter(username="carol").exists()
    alice.refresh_from_db()
    assert alice.check_password("Old-Pass-99")

    # Only the mailboxes know which was which.
    to_bob, to_alice = mail.outbox
    assert to_bob.to == ["bob@example.com"] and to_alice.to == ["alice@example.com"]
    assert link_in(to_bob).startswith(SITE + "/accounts/register/activate/")
    assert not LINK.search(to_alice.body)
    assert "tried to register" in to_alice.body
    assert f"{SITE}/accounts/login/" in to_alice.body
    assert f"{SITE}/accounts/password/reset/" in to_alice.body
    assert PASSWORD not in to_bob.body + to_alice.body


def test_item13_the_activation_link_creates_the_account_and_logs_in():
    client = browser()
    register(client, "bob", "bob@example.com", display_name="小明")
    # Before the link is followed there is no account: no login, no API token.
    assert not User.objects.filter(username="bob").exists()
    other = browser()
    refused = other.post("/accounts/login/", {"username": "bob", "password": PASSWORD})
    assert refused.status_code == 200 and "correct username" in refused.content.decode()
    token = other.post(
        "/api/auth/token",
        {"username": "bob@example.com", "password": PASSWORD},
        content_type="application/json",
    )
    assert token.status_code == 401

    link = link_in(mail.outbox[0])
    done = activate(client, link)
    assert done.status_code == 302 and done.url == "/"
    profile = client.get("/accounts/profile/")
    assert profile.status_code == 200
    assert "Welcome, 小明! Your account has been created." in profile.content.decode()
    bob = User.objects.get(username="bob")
    assert bob.is_active and bob.email == "bob@example.com" and bob.check_password(PASSWORD)

    # The link works once.
    again = browser().get(link.removeprefix(SITE))
    assert again.status_code == 400
    assert browser().post(link.removeprefix(SITE)).status_code == 400
    assert User.objects.filter(username="bob").count() == 1


def test_item13_the_link_keeps_a_safe_next():
    client = browser()
    register(client, next="/my/wallet/")
    assert activate(client, link_in(mail.outbox[0])).url == "/my/wallet/"
    client = browser()
    register(client, "erin", "erin@example.com", next="https://evil.example/")
    assert activate(client, link_in(mail.outbox[1])).url == "/"


def test_item13_links_are_signed_and_expire():
    client = browser()
    register(client)
    link = link_in(mail.outbox[0]).removeprefix(SITE)
    tampered = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
    assert browser().get(tampered).status_code == 400
    assert browser().post(tampered).status_code == 400
    assert browser().get("/accounts/register/activate/nonsense/").status_code == 400

    class LongAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - registration.LINK_MAX_AGE - 60)

    key = registration.PendingRegistration.objects.get().key
    old = LongAgo(salt=registration.LINK_SALT).sign(key)
    expired = browser().get(f"/accounts/register/activate/{old}/")
    assert expired.status_code == 400
    assert "expired" in expired.content.decode()
    assert browser().post(f"/accounts/register/activate/{old}/").status_code == 400
    assert not User.objects.filter(username="bob").exists()
    # The real link still works.
    assert activate(client, link).status_code == 302


def test_item13_links_use_the_site_url_not_the_host_header(settings):
    settings.ALLOWED_HOSTS = ["*"]
    member()
    client = Client(HTTP_HOST="evil.example")
    register(client, "bob", "bob@example.com")
    register(client, "carol", "alice@example.com")
    for message in mail.outbox:
        assert SITE in message.body
        assert "evil.example" not in message.body + message.subject


def test_item13_a_taken_username_may_be_said_but_the_address_never():
    member()
    client = browser()
    # Usernames are public: the form says so, and sends nothing.
    refused = register(client, "ALICE", "new@example.com")
    assert refused.status_code == 200
    assert "A user with that username already exists." in refused.content.decode()
    # A taken username with a taken address answers exactly the same.
    refused_too = register(client, "ALICE", "alice@example.com")
    assert refused_too.status_code == 200
    errors = re.compile(r'<ul class="errorlist.*?</ul>', re.S)
    said = errors.findall(refused.content.decode())
    assert said == errors.findall(refused_too.content.decode())
    assert len(said) == 1 and "username" in said[0]
    assert mail.outbox == []


def test_item13_a_squatted_address_does_not_lock_its_owner_out():
    """Someone registering a victim's address first holds nothing: the victim's own
    registration and link still work, and the stranger's link then fails."""
    squatter, owner = browser(), browser()
    register(squatter, "squatter", "victim@example.com")
    register(owner, "victim", "victim@example.com")
    squatter_link, owner_link = (link_in(m) for m in mail.outbox)
    assert activate(owner, owner_link).status_code == 302
    victim = User.objects.get(email="victim@example.com")
    assert victim.username == "victim" and victim.check_password(PASSWORD)
    late = browser()
    assert late.get(squatter_link.removeprefix(SITE)).status_code == 400
    assert late.post(squatter_link.removeprefix(SITE)).status_code == 400
    assert not User.objects.filter(username="squatter").exists()


def test_item13_mails_to_one_address_are_limited():
    member()
    for n in range(registration.MAILS_PER_ADDRESS + 2):
        response = register(browser(), f"user{n}", "alice@example.com")
        assert response.status_code == 302
    assert len(mail.outbox) == registration.MAILS_PER_ADDRESS


def test_item13_an_inactive_member_earns_no_sign_in_coins():
    lapsed = member("lapsed", "lapsed@example.com")
    lapsed.is_active = False
    lapsed.save()
    with pytest.raises(market.MarketRefused):
        market.signin_claim(user=lapsed)
    assert not LedgerEntry.objects.filter(wallet__user=lapsed).exists()
