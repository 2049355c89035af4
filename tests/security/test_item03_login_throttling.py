"""Issue 11, item 3: one login throttle, atomic, for every way in (the login page,
the admin's login, the API's token endpoint), per account AND per address.

N failures for one account, from any address, lock the account; M failures from
one address, for any accounts (password spraying), lock the address. While
locked even the right password is refused; the lock lifts after the cool-off."""

import datetime as dt
import threading

import pytest
import requests
from django.db.models import Sum
from django.test import Client

pytestmark = pytest.mark.postgres

JSON = "application/json"
PASSWORD = "s3cret-Passw0rd"  # tests.market.conftest users
PER_ACCOUNT = 5
PER_ADDRESS = 8
COOL_OFF_MINUTES = 15


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OPENWENKU = {
        **settings.OPENWENKU,
        "LOGIN_FAILURE_LIMIT": PER_ACCOUNT,
        "LOGIN_FAILURE_LIMIT_PER_IP": PER_ADDRESS,
        "LOGIN_LOCKOUT_MINUTES": COOL_OFF_MINUTES,
    }


def web(username, password, ip="198.51.100.1"):
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )
    return response, client


def admin(username, password, ip="198.51.100.1"):
    client = Client(headers={"accept-language": "en"})
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )
    return response, client


def api(username, password, ip="198.51.100.1"):
    return Client(headers={"accept-language": "en"}).post(
        "/api/auth/token",
        {"username": username, "password": password},
        content_type=JSON,
        REMOTE_ADDR=ip,
    )


def logged_in(client) -> bool:
    return client.get("/accounts/profile/").status_code == 200


def assert_api_locked(response):
    assert response.status_code == 429, response.content
    assert response.json()["code"] == "too_many_login_failures"
    assert int(response["Retry-After"]) > 0


def test_item03_web_login_locks_the_account_after_the_limit(users, db):
    for _ in range(PER_ACCOUNT - 1):
        response, _client = web("buyer", "wrong")
        assert response.status_code == 200
    # The failure that reaches the limit already answers "locked".
    assert web("buyer", "wrong")[0].status_code == 429
    response, client = web("buyer", PASSWORD)
    assert response.status_code == 429
    # The login form again, with a clear message.
    content = response.content.decode()
    assert 'name="password"' in content
    assert "Too many failed login attempts" in content
    assert int(response["Retry-After"]) == COOL_OFF_MINUTES * 60
    assert not logged_in(client)


def test_item03_web_lockout_message_is_chinese_by_default(users, db):
    for _ in range(PER_ACCOUNT):
        Client().post("/accounts/login/", {"username": "buyer", "password": "wrong"})
    response = Client().post("/accounts/login/", {"username": "buyer", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_item03_admin_login_is_throttled(users, db):
    for _ in range(PER_ACCOUNT - 1):
        response, _client = admin("operator", "wrong")
        assert response.status_code == 200
    assert admin("operator", "wrong")[0].status_code == 429
    response, client = admin("operator", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_item03_api_token_endpoint_is_throttled(users, db):
    for _ in range(PER_ACCOUNT - 1):
        assert api("buyer", "wrong").status_code == 401
    assert_api_locked(api("buyer", "wrong"))
    assert_api_locked(api("buyer", PASSWORD))


def test_item03_all_doors_share_one_count(users, db):
    web("buyer", "wrong")
    web("buyer", "wrong", ip="198.51.100.2")
    admin("buyer", "wrong", ip="198.51.100.3")
    api("buyer", "wrong", ip="198.51.100.4")
    api("buyer@example.com", "wrong", ip="198.51.100.5")  # the e-mail names the same account
    assert_api_locked(api("buyer", PASSWORD, ip="198.51.100.6"))
    assert web("buyer", PASSWORD, ip="198.51.100.7")[0].status_code == 429
    assert admin("buyer", PASSWORD, ip="198.51.100.8")[0].status_code == 429


def test_item03_per_account_from_many_addresses(users, db):
    for n in range(PER_ACCOUNT - 1):
        assert api("buyer", "wrong", ip=f"203.0.113.{n + 1}").status_code == 401
    assert_api_locked(api("buyer", "wrong", ip="203.0.113.99"))
    # From an address that never failed, the right password: refused.
    assert_api_locked(api("buyer", PASSWORD, ip="192.0.2.200"))
    response, client = web("buyer", PASSWORD, ip="192.0.2.201")
    assert response.status_code == 429 and not logged_in(client)
    # Another account is not affected.
    assert api("other", PASSWORD, ip="192.0.2.200").status_code == 201


def test_item03_per_address_across_accounts_password_spraying(users, db):
    sprayer = "203.0.113.66"
    for n in range(PER_ADDRESS - 1):
        # One guess per account: no account reaches its own limit.
        assert api(f"member{n}", "123456", ip=sprayer).status_code == 401
    assert_api_locked(api("member99", "123456", ip=sprayer))
    # The address is locked, even for an account it never tried, and a right password.
    assert_api_locked(api("other", PASSWORD, ip=sprayer))
    response, client = web("other", PASSWORD, ip=sprayer)
    assert response.status_code == 429 and not logged_in(client)
    # The accounts themselves are not locked for everyone else.
    assert api("other", PASSWORD, ip="192.0.2.10").status_code == 201


def test_item03_logging_into_ones_own_account_does_not_clear_the_addresses_failures(users, db):
    attacker_ip = "203.0.113.77"
    for _ in range(PER_ACCOUNT - 1):
        assert api("buyer", "wrong", ip=attacker_ip).status_code == 401
    # The attacker logs into an account of their own from the same address ...
    response, _client = web("other", PASSWORD, ip=attacker_ip)
    assert response.status_code == 302
    # ... which clears nothing of what that address did to another account:
    # the next guess reaches the account's limit.
    assert_api_locked(api("buyer", "wrong", ip=attacker_ip))
    assert_api_locked(api("buyer", PASSWORD, ip="192.0.2.50"))


def test_item03_a_members_own_success_clears_their_failures(users, db):
    for _ in range(PER_ACCOUNT - 1):
        web("buyer", "wrong")
    assert web("buyer", PASSWORD)[0].status_code == 302
    for _ in range(PER_ACCOUNT - 1):
        web("buyer", "wrong")
    assert web("buyer", PASSWORD)[0].status_code == 302


def test_item03_lock_lifts_after_the_cool_off(users, db):
    for _ in range(PER_ACCOUNT):
        api("buyer", "wrong")
    assert_api_locked(api("buyer", PASSWORD))
    from axes.models import AccessAttempt

    # Time passes: every recorded failure is now older than the cool-off.
    past = dt.timedelta(minutes=COOL_OFF_MINUTES, seconds=5)
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= past
        attempt.save(update_fields=["attempt_time"])
    assert api("buyer", PASSWORD).status_code == 201
    response, client = web("buyer", PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_item03_retry_after_is_the_cool_off(users, db):
    for _ in range(PER_ACCOUNT):
        api("buyer", "wrong")
    response = api("buyer", PASSWORD)
    assert_api_locked(response)
    assert int(response["Retry-After"]) == COOL_OFF_MINUTES * 60


@pytest.mark.django_db(transaction=True)
def test_item03_parallel_failures_are_all_counted(users, wide_live_server):
    """50 bad passwords at once: every one is recorded (a read-then-write counter
    kept ~1), and the lockout holds afterwards."""
    url = f"{wide_live_server}/api/auth/token"
    barrier = threading.Barrier(50)
    codes: list[int | str] = []
    lock = threading.Lock()

    def attempt():
        session = requests.Session()
        barrier.wait()
        try:
            code = session.post(url, json={"username": "buyer", "password": "wrong"}).status_code
        except requests.RequestException as exc:
            code = repr(exc)
        with lock:
            codes.append(code)

    threads = [threading.Thread(target=attempt) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(codes) == 50 and set(codes) <= {401, 429}, codes
    from axes.models import AccessAttempt

    recorded = AccessAttempt.objects.filter(username="buyer").aggregate(
        n=Sum("failures_since_start")
    )["n"]
    assert recorded == 50
    # No more clients than the limit allows heard "wrong password": the rest were
    # told they are locked out.
    assert codes.count(401) <= PER_ACCOUNT - 1
    print(f"parallel: {codes.count(401)} x 401, {codes.count(429)} x 429")
    response = requests.post(url, json={"username": "buyer", "password": PASSWORD})
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_login_failures"
