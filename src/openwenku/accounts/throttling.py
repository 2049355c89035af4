"""Who the client is (``client_ip``), per-address counters (``allow``), and the
login throttle's rules.

Failed logins are counted by django-axes (settings ``AXES_*``): one throttle for
every way in (the login page, the admin's login, the API's token endpoint), as
rows it increments atomically in the database. The callables here tell it who
tried (``client_ip``, ``login_username``), how many failures lock an account or
an address, and for how long (``LoginThrottleHandler``)."""

import datetime as dt
import hashlib
import ipaddress
from functools import lru_cache
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import ngettext

from openwenku.core.errors import TooManyRequests

from .backends import UsernameOrEmailBackend

DEFAULT_FAILURE_LIMIT = 10
DEFAULT_FAILURE_LIMIT_PER_IP = 30
DEFAULT_LOCKOUT_MINUTES = 15


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(e, strict=False) for e in entries)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_ip(request: HttpRequest | None) -> str:
    """The client's address, for every per-address limit.

    The peer (REMOTE_ADDR), unless the peer is a trusted proxy (OPENWENKU_TRUSTED_PROXIES):
    then the right-most X-Forwarded-For address that is not a trusted proxy (each
    trusted proxy appends the address it was reached from; whatever lies left of
    that the client wrote itself and is not believed)."""
    if request is None:
        return ""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    if not networks or not _trusted(remote, networks):
        return remote
    client = remote
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for hop in reversed([h.strip() for h in hops if h.strip()]):
        try:
            client = str(ipaddress.ip_address(hop))
        except ValueError:
            break  # not an address: keep the last one a trusted proxy vouched for
        if not _trusted(client, networks):
            break
    return client


def count(cache_key: str, window: int) -> int:
    """Add one to a counter that starts at its first event and lasts ``window``
    seconds. Atomic on every cache the site runs with: Redis (SET NX, INCR), the
    embedded file cache (core.cache, under a lock) and local memory (tests)."""
    cache.add(cache_key, 0, window)
    try:
        n = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, window)
        return 1
    if n == 1:
        # The first event: make sure the counter expires. Redis' INCR on a key
        # that expired just after Django's existence check recreates it
        # without an expiry, which would limit this key for ever.
        cache.touch(cache_key, window)
    return n


def allow(bucket: str, key: str, *, limit: int, window: int) -> bool:
    """Count one event of ``bucket`` for ``key``; False once ``limit`` events fell
    within ``window`` seconds (the window starts with the first of them)."""
    digest = hashlib.sha256(f"{bucket}\0{key.casefold()}".encode()).hexdigest()
    return count(f"openwenku:rate:{digest}", window) <= limit


# --- The login throttle (django-axes) ---------------------------------------------


def _login_setting(name: str, default: int) -> int:
    return int(getattr(settings, "OPENWENKU", {}).get(name, default))


def login_failure_limit(request: HttpRequest | None = None, credentials: Any = None) -> int:
    """Failures that lock one account, from any address (``AXES_FAILURE_LIMIT``)."""
    return _login_setting("LOGIN_FAILURE_LIMIT", DEFAULT_FAILURE_LIMIT)


def login_failure_limit_per_ip() -> int:
    """Failures from one address, for any accounts, that lock the address."""
    return _login_setting("LOGIN_FAILURE_LIMIT_PER_IP", DEFAULT_FAILURE_LIMIT_PER_IP)


def login_cool_off(request: HttpRequest | None = None) -> dt.timedelta:
    """How long a lock lasts after the latest failure (``AXES_COOLOFF_TIME``)."""
    return dt.timedelta(minutes=_login_setting("LOGIN_LOCKOUT_MINUTES", DEFAULT_LOCKOUT_MINUTES))


def login_retry_after() -> int:
    """Seconds a locked client waits: each refused attempt counts, so a full cool-off."""
    return int(login_cool_off().total_seconds())


def login_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account an attempt is against (``AXES_USERNAME_CALLABLE``).

    A login names an account by its username or its e-mail address: both count
    for the account's username, so alternating them gains no attempts. A name
    that matches no account is counted as typed (case-folded)."""
    if credentials:
        identifier = credentials.get("username")
    elif request is not None:
        identifier = request.POST.get("username")
    else:
        identifier = None
    if not identifier:
        return None
    identifier = str(identifier).strip()
    # Axes asks several times per attempt: look the account up once per request.
    memo: dict[str, str] = getattr(request, "_login_usernames", {})
    if identifier not in memo:
        user = UsernameOrEmailBackend.find_user(identifier)
        name = user.get_username() if user is not None else identifier
        memo[identifier] = name.casefold()[:255]
        if request is not None:
            request._login_usernames = memo  # type: ignore[attr-defined]
    return memo[identifier]


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a limit of its own for each lockout parameter.

    ``AXES_LOCKOUT_PARAMETERS`` is ``["username", "ip_address"]``: an account and
    an address are counted apart, the account against ``LOGIN_FAILURE_LIMIT`` and
    the address against ``LOGIN_FAILURE_LIMIT_PER_IP`` (larger: many members share
    an address behind a campus or carrier NAT)."""

    LIMITS = {"ip_address": login_failure_limit_per_ip}

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # Axes locks when this reaches AXES_FAILURE_LIMIT (the account's limit);
        # each parameter's count is scaled so that it gets there at its own limit.
        limit = login_failure_limit()
        worst = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(
            parameters, self.get_user_attempts(request, credentials), strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            own = self.LIMITS.get(str(parameter))
            worst = max(worst, failures if own is None else failures * limit // max(1, own()))
        return worst

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On a successful login, forget only this account's failures from this
        address: never the address's failures against other accounts (else an
        attacker clears their count by logging into an account of their own)."""
        attempts: QuerySet[AccessAttempt] = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        )
        count, _ = attempts.delete()
        return count


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any = None
) -> HttpResponse:
    """What a locked-out client sees (``AXES_LOCKOUT_CALLABLE``).

    The login page and the API answer their own 429 (the form with its message,
    the error contract); any other door (the admin's login) gets the site's
    error page."""
    if original_response is not None and original_response.status_code == 429:
        response = original_response
    else:
        error = TooManyRequests(login_lockout_message())
        response = TemplateResponse(
            request, "core/error.html", {"error": error, "message": error.message}, status=429
        ).render()
    response.headers.setdefault("Retry-After", str(login_retry_after()))
    return response


def login_lockout_message() -> str:
    minutes = max(1, login_retry_after() // 60)
    return ngettext(
        "Too many failed login attempts. Please wait %(minutes)d minute "
        "and try again, or reset your password.",
        "Too many failed login attempts. Please wait %(minutes)d minutes "
        "and try again, or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def is_locked_out(request: HttpRequest) -> bool:
    """Whether the last ``authenticate(request, …)`` was refused by the throttle."""
    return bool(getattr(request, "axes_locked_out", False))
