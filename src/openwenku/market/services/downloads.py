"""Counting downloads and views: the daily download caps (per member, per
network address) and the per-day statistics the earnings page draws.

Counters are bumped with ``F()`` updates, never read-modify-write, so
concurrent requests do not lose counts.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.documents.models import READ_ALL_CONTENT, Document

from ..models import DocumentDay, Download
from ..selectors import market_settings
from .errors import DownloadLimitReached

if TYPE_CHECKING:
    from openwenku.accounts.types import Reader


def _day_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def download_record(*, user: Reader | None, document: Document, ip: str | None) -> Download:
    """Count one download, within the daily caps per member and per address
    (which spare only holders of ``documents.read_all_content``)."""
    settings = market_settings()
    member = user if user is not None and user.is_authenticated else None
    if not (member and member.has_perm(READ_ALL_CONTENT)):
        since = _day_start()
        cap = settings.downloads_per_user_per_day
        if (
            member
            and cap
            and Download.objects.filter(user=member, created_at__gte=since).count() >= cap
        ):
            raise DownloadLimitReached(
                _("You reached today's limit of %(n)d downloads; try again tomorrow."), n=cap
            )
        cap = settings.downloads_per_ip_per_day
        if ip and cap and Download.objects.filter(ip=ip, created_at__gte=since).count() >= cap:
            raise DownloadLimitReached(
                _("This network reached today's limit of %(n)d downloads; try again tomorrow."),
                n=cap,
            )
    row = Download.objects.create(user=member, document=document, ip=ip or None)
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)
    _bump_day(document.pk, "downloads")
    return row


def stats_record_view(*, document_id: int) -> None:
    _bump_day(document_id, "views")


def _bump_day(document_id: int, field: str) -> None:
    day = timezone.localdate()
    rows = DocumentDay.objects.filter(document_id=document_id, day=day)
    if not rows.update(**{field: F(field) + 1}):
        DocumentDay.objects.bulk_create(
            [DocumentDay(document_id=document_id, day=day)], ignore_conflicts=True
        )
        rows.update(**{field: F(field) + 1})
