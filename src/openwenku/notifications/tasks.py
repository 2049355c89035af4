"""E-mail of important notices, sent by the task worker (never in a request)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task

from .models import Notification


@task()
def email_notification(notification_id: int) -> bool:
    """Mail one notice to its recipient; safe to run twice (it is mailed once)."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not notice.recipient.email or not notice.recipient.is_active:
        return False
    site_url = getattr(settings, "SITE_URL", "") or ""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notice": notice,
            "title": notice.title,
            "body": notice.body,
            "link": f"{site_url}{notice.url}" if notice.url and site_url else "",
            "centre": f"{site_url}/notifications/" if site_url else "",
            "site_name": settings.OPENWENKU.get("SITE_NAME", "OpenWenku"),
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        body = render_to_string("notifications/email/body.txt", context)
    send_mail(" ".join(subject.splitlines()), body, None, [notice.recipient.email])
    return True
