"""E-mail to a copyright notice's sender (who has no account), by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from openwenku.core.links import absolute_url

from .models import CopyrightNotice

WHAT = ("receipt", "accepted", "rejected", "restored", "confirmed")


@task()
def email_notice_sender(notice_id: int, what: str) -> bool:
    """Mail the sender the receipt or the outcome (``what``) of their notice."""
    notice = CopyrightNotice.objects.filter(pk=notice_id).first()
    if notice is None or what not in WHAT:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "what": what,
            "documents": [
                absolute_url(d.get_absolute_url()) for d in notice.documents.order_by("pk")
            ],
            "form_url": absolute_url("/copyright/notice/"),
            "site_name": settings.OPENWENKU.get("SITE_NAME", "OpenWenku"),
        }
        subject = render_to_string("moderation/email/notice_subject.txt", context).strip()
        body = render_to_string("moderation/email/notice_body.txt", context)
    send_mail(" ".join(subject.splitlines()), body, None, [notice.email])
    return True
