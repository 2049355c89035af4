"""Registration by mail, revealing nothing about which addresses have accounts.

A sign-up always answers the same ("we sent a link to <address>") after the same
work (one password hashing, one mail), whether the address is new or belongs to
a member. Only the mailbox learns the difference:

- a new address receives a link to finish registering: the sign-up waits as a
  ``PendingRegistration`` and the link, signed (``TimestampSigner``) and valid
  for ``LINK_MAX_AGE``, creates the member and logs them in, once;
- a registered address receives a note that someone tried to register with it,
  with links to log in and to reset the password; nothing else happens.

A pending sign-up reserves nothing, so registering someone else's address first
does not lock its owner out: every link is its own sign-up, the first followed
wins, the others fail. Usernames are public and may be refused as taken at once.
Mails to one address are limited (``MAILS_PER_ADDRESS`` an hour); past that the
answer is the same and no mail goes out.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError
from openwenku.core.models import SiteConfiguration

from .models import PendingRegistration
from .services import email_in_use
from .throttling import allow
from .types import User

LINK_SALT = "openwenku.accounts.registration"
LINK_MAX_AGE = 3 * 24 * 3600  # seconds an activation link stays valid
MAILS_PER_ADDRESS = 3  # registration mails an hour to one address

# Links in e-mails when OPENWENKU_SITE_URL is unset and the site does not run
# under `openwenku serve` (which derives it from --bind): the default local
# address of `serve` and `runserver`, so a development setup's links work.
UNCONFIGURED_SITE_URL = "http://127.0.0.1:8000"


def site_url() -> str:
    """The site's public address for links in e-mails: the configured one, never
    the request's Host header (which the client chooses)."""
    return settings.SITE_URL or UNCONFIGURED_SITE_URL


class InvalidLink(ApplicationError):
    code = "invalid_link"
    status = 400
    default_message = _(
        "This link is not valid: it may have been used already. If you finished "
        "registering, log in; otherwise register again."
    )


class ExpiredLink(InvalidLink):
    code = "expired_link"
    default_message = _("This link has expired. Please register again.")


class UsernameTaken(InvalidLink):
    code = "username_taken"
    default_message = _(
        "Someone else took the username “%(username)s” meanwhile. Please register "
        "again with another username."
    )


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT)


def _mail(email: str, template: str, context: dict[str, object]) -> None:
    context = {
        "site_name": SiteConfiguration.current()["site_name"],
        "site_url": site_url(),
        "email": email,
        **context,
    }
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [email])


def registration_start(
    *, username: str, email: str, password: str, display_name: str = "", next_url: str = ""
) -> None:
    """Answer a sign-up the form found valid: mail an activation link to a new
    address, or a note to the owner of a registered one. Returns nothing, so a
    caller cannot tell the two apart either."""
    email = User.objects.normalize_email((email or "").strip())
    # Hashed in both cases, so both take the same time.
    password_hash = make_password(password)
    PendingRegistration.objects.filter(
        created_at__lt=timezone.now() - dt.timedelta(seconds=LINK_MAX_AGE)
    ).delete()
    may_mail = allow("register-email", email, limit=MAILS_PER_ADDRESS, window=3600)
    member = User.objects.filter(email__iexact=email).order_by("pk").first()
    if member is not None:
        if may_mail:
            _mail(
                member.email,
                "registration_exists",
                {
                    "username": member.get_username(),
                    "login_url": site_url() + reverse("accounts:login"),
                    "reset_url": site_url() + reverse("accounts:password_reset"),
                },
            )
        return
    pending = PendingRegistration.objects.create(
        key=secrets.token_urlsafe(32),
        username=User.normalize_username(username),
        email=email,
        display_name=display_name,
        password=password_hash,
        next_url=next_url,
    )
    if may_mail:
        token = _signer().sign(pending.key)
        link = site_url() + reverse("accounts:register_activate", kwargs={"token": token})
        _mail(
            email,
            "registration_activate",
            {"username": pending.username, "link": link, "days": LINK_MAX_AGE // 86400},
        )


def _key_of(token: str) -> str:
    try:
        return _signer().unsign(token, max_age=dt.timedelta(seconds=LINK_MAX_AGE))
    except signing.SignatureExpired:
        raise ExpiredLink from None
    except signing.BadSignature:
        raise InvalidLink from None


def pending_for_link(token: str, *, lock: bool = False) -> PendingRegistration:
    """The sign-up an activation link finishes; raises ``InvalidLink`` or
    ``ExpiredLink``."""
    rows = PendingRegistration.objects.filter(key=_key_of(token))
    pending = (rows.select_for_update() if lock else rows).first()
    if pending is None:
        raise InvalidLink
    return pending


def registration_activate(*, token: str) -> tuple[User, str]:
    """Create the member an activation link names; returns it and the page to go
    on to. Once per address: the member's other pending sign-ups die with it."""
    with transaction.atomic():
        pending = pending_for_link(token, lock=True)
        if email_in_use(pending.email):
            PendingRegistration.objects.filter(email__iexact=pending.email).delete()
            raise InvalidLink
        if User.objects.filter(username__iexact=pending.username).exists():
            pending.delete()
            raise UsernameTaken(username=pending.username)
        user = User(
            username=pending.username,
            email=pending.email,
            display_name=pending.display_name,
            password=pending.password,
        )
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:  # another link for this address or name won the race
            raise InvalidLink from None
        PendingRegistration.objects.filter(email__iexact=pending.email).delete()
    return user, pending.next_url
