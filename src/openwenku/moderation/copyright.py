"""Copyright: notices from rights holders, takedowns, counter-notices, repeat
infringers, and authors' claims (认领).

Every decision is an operator's (Django permissions in ``permissions.py``), is
written to the audit log, and tells the member concerned in the site (and by
e-mail); a notice's sender, who has no account, is told by e-mail.
The document's status changes through documents' services, whose signals the
other apps follow (search drops it, the market freezes its earnings).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.accounts.models import Penalty
from openwenku.accounts.selectors import penalty_in_force
from openwenku.accounts.throttling import allow
from openwenku.audit.models import AuditEntry
from openwenku.audit.services import audit_record
from openwenku.core.errors import ApplicationError, Conflict, Forbidden, TooManyRequests
from openwenku.documents import services as documents
from openwenku.documents.models import Document
from openwenku.notifications.services import notify

from . import notices as kinds
from .models import Attachment, Claim, CopyrightNotice, CounterNotice, Report, Takedown
from .permissions import HANDLE_CLAIM, HANDLE_NOTICE, TAKE_DOWN
from .services import penalty_impose
from .tasks import email_notice_sender

if TYPE_CHECKING:
    from openwenku.accounts.types import User

Action = AuditEntry.Action
Cause = Document.TakedownCause

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
NOTICES_PER_IP_PER_HOUR = 5
MAX_URLS = 50


class NoticeRefused(ApplicationError):
    code = "notice_refused"
    default_message = _("This notice cannot be accepted.")


# --- Notices ------------------------------------------------------------------------


def documents_from_urls(text: str) -> list[Document]:
    """The documents of this site named by ``text``, one address a line (full
    addresses or paths); an address that names none refuses the lot, naming its line."""
    found: list[Document] = []
    site_host = urlsplit(getattr(settings, "SITE_URL", "") or "").hostname
    lines = [(n, line.strip()) for n, line in enumerate((text or "").splitlines(), 1)]
    lines = [(n, line) for n, line in lines if line]
    if not lines:
        raise NoticeRefused(_("Give the address of at least one document."), code="notice_no_urls")
    if len(lines) > MAX_URLS:
        raise NoticeRefused(
            _("At most %(n)d addresses per notice."), code="notice_too_many_urls", n=MAX_URLS
        )
    for number, line in lines:
        parts = urlsplit(line if "://" in line or line.startswith("/") else f"//{line}")
        document = None
        if not parts.hostname or not site_host or parts.hostname == site_host:
            try:
                match = resolve(parts.path or "/")
            except Resolver404:
                match = None
            if match is not None and match.view_name == "documents:detail":
                document = Document.objects.filter(pk=match.kwargs["pk"]).first()
        if document is None:
            raise NoticeRefused(
                _("Line %(line)d (“%(url)s”) is not the address of a document on this site."),
                code="notice_unknown_url",
                line=number,
                url=line[:200],
            )
        if document not in found:
            found.append(document)
    return found


def attachments_check(files: Sequence[UploadedFile]) -> None:
    if len(files) > MAX_ATTACHMENTS:
        raise NoticeRefused(
            _("At most %(n)d files may be attached."),
            code="attachments_too_many",
            n=MAX_ATTACHMENTS,
        )
    for f in files:
        if (f.size or 0) > MAX_ATTACHMENT_BYTES:
            raise NoticeRefused(
                _("“%(name)s” is larger than %(mb)d MB."),
                code="attachment_too_large",
                name=f.name,
                mb=MAX_ATTACHMENT_BYTES // (1024 * 1024),
            )


def _attach(files: Iterable[UploadedFile], **owner: object) -> None:
    for f in files:
        attachment = Attachment(
            name=PurePosixPath(f.name or "file").name[:255], size=f.size or 0, **owner
        )
        attachment.file.save("proof", File(f), save=False)
        attachment.save()


def notice_rate_check(client_ip: str) -> None:
    """A few notices an hour per client address (no account is needed to send one)."""
    if not allow("copyright_notice", client_ip or "-", limit=NOTICES_PER_IP_PER_HOUR, window=3600):
        raise TooManyRequests(_("Too many notices from your address; try again in an hour."))


def notice_create(
    *,
    name: str,
    email: str,
    phone: str = "",
    work: str,
    urls: str,
    documents_named: Sequence[Document],
    files: Sequence[UploadedFile] = (),
    good_faith: bool,
    accurate: bool,
    client_ip: str = "",
) -> CopyrightNotice:
    """Store a rights holder's notice, give it a number, mail the sender a receipt."""
    if not (good_faith and accurate):
        raise NoticeRefused(_("Both statements are required."), code="notice_statements")
    if not documents_named:
        raise NoticeRefused(_("Give the address of at least one document."), code="notice_no_urls")
    attachments_check(files)
    with transaction.atomic():
        notice = CopyrightNotice.objects.create(
            number=f"tmp-{uuid.uuid4().hex[:20]}",  # numbered from its id below
            name=name.strip()[:100],
            email=email.strip(),
            phone=phone.strip()[:40],
            work=work.strip(),
            urls=urls.strip(),
            good_faith=good_faith,
            accurate=accurate,
            client_ip=client_ip or None,
        )
        day = timezone.localtime(notice.created_at).strftime("%Y%m%d")
        notice.number = f"CN{day}-{notice.pk:06d}"
        notice.save(update_fields=["number"])
        notice.documents.set(documents_named)
        _attach(files, notice=notice)
        for document in documents_named:
            audit_record(
                Action.NOTICE_RECEIVED,
                actor=None,
                document=document,
                reason=notice.work[:500],
                notice=notice.number,
            )
        _mail_sender(notice, "receipt")
    return notice


def _mail_sender(notice: CopyrightNotice, what: str) -> None:
    transaction.on_commit(lambda: email_notice_sender.enqueue(notice.pk, what))


def _require(by: User | None, *perms: str) -> User:
    if by is None or not any(by.has_perm(p) for p in perms):
        raise Forbidden(_("Only an operator with this permission may do this."))
    return by


def notice_accept(
    *, notice: CopyrightNotice, by: User | None, document_ids: Sequence[int] | None = None
) -> list[Takedown]:
    """Uphold a notice: take down its documents (all, or those selected) for copyright."""
    operator = _require(by, HANDLE_NOTICE)
    with transaction.atomic():
        locked = CopyrightNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != CopyrightNotice.Status.OPEN:
            raise Conflict(_("This notice was already decided."))
        named = list(locked.documents.select_related("owner"))
        chosen = [d for d in named if document_ids is None or d.pk in set(document_ids)]
        if not chosen:
            raise NoticeRefused(_("Select at least one document."), code="notice_none_selected")
        takedowns = [
            _take_down(
                d,
                cause=Cause.COPYRIGHT,
                by=operator,
                reason=str(_("Copyright notice %(n)s") % {"n": locked.number}),
                notice=locked,
            )
            for d in chosen
            if d.status != Document.Status.TAKEN_DOWN  # down already (another notice)
        ]
        locked.status = CopyrightNotice.Status.ACCEPTED
        locked.decided_by = operator
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        _mail_sender(locked, "accepted")
        for uploader in {t.uploader for t in takedowns}:
            repeat_infringer_check(uploader, by=operator)
    notice.status = locked.status
    return takedowns


def notice_reject(*, notice: CopyrightNotice, by: User | None, reason: str) -> CopyrightNotice:
    operator = _require(by, HANDLE_NOTICE)
    reason = (reason or "").strip()
    if not reason:
        raise NoticeRefused(_("Say why the notice is rejected."), code="reason_required")
    with transaction.atomic():
        locked = CopyrightNotice.objects.select_for_update().get(pk=notice.pk)
        if locked.status != CopyrightNotice.Status.OPEN:
            raise Conflict(_("This notice was already decided."))
        locked.status = CopyrightNotice.Status.REJECTED
        locked.decided_by = operator
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        for document in locked.documents.select_related("owner"):
            audit_record(
                Action.NOTICE_REJECTED,
                actor=operator,
                document=document,
                reason=reason,
                notice=locked.number,
            )
        _mail_sender(locked, "rejected")
    return locked


# --- Takedown, counter-notice, restore, confirm ------------------------------------------


def take_down(*, document: Document, cause: str, by: User | None, reason: str = "") -> Takedown:
    """An operator takes a document down at once (copyright, illegal, privacy)."""
    operator = _require(by, TAKE_DOWN)
    if cause not in Cause.values:
        raise NoticeRefused(_("Choose why the document is taken down."), code="cause_invalid")
    with transaction.atomic():
        return _take_down(document, cause=cause, by=operator, reason=reason.strip())


def _take_down(
    document: Document, *, cause: str, by: User, reason: str, notice: CopyrightNotice | None = None
) -> Takedown:
    if not documents.document_take_down(document=document, cause=cause, by=by):
        raise Conflict(_("This document is taken down already."))
    takedown = Takedown.objects.create(
        document=document,
        uploader_id=document.owner_id,
        notice=notice,
        cause=cause,
        reason=reason,
        by=by,
    )
    audit_record(
        Action.TAKEDOWN,
        actor=by,
        document=document,
        reason=reason,
        cause=cause,
        notice=notice.number if notice else "",
    )
    notify(
        takedown.uploader,
        kinds.TAKEN_DOWN,
        url=reverse("copyright:counter_notice", args=[document.pk]),
        title=document.title,
        cause=str(Cause(cause).label),
        reason=reason or "-",
    )
    return takedown


def active_takedown(document: Document) -> Takedown | None:
    return (
        Takedown.objects.filter(document=document, status=Takedown.Status.ACTIVE)
        .select_related("notice")
        .order_by("-created_at")
        .first()
    )


def counter_notice_create(
    *, document: Document, by: User, real_name: str, contact: str, reasons: str, statement: bool
) -> CounterNotice:
    """The uploader answers the takedown of their document."""
    takedown = active_takedown(document)
    if takedown is None or takedown.uploader_id != by.pk:
        raise Forbidden(_("Only the uploader of a taken-down document may answer its takedown."))
    if not statement:
        raise NoticeRefused(_("The statement is required."), code="statement_required")
    try:
        with transaction.atomic():
            counter = CounterNotice.objects.create(
                takedown=takedown,
                filed_by=by,
                real_name=real_name.strip()[:100],
                contact=contact.strip()[:200],
                reasons=reasons.strip(),
                statement=True,
            )
            audit_record(
                Action.COUNTER_NOTICE, actor=by, document=document, reason=counter.reasons[:500]
            )
    except IntegrityError:
        raise Conflict(_("Your counter-notice is already waiting for an operator.")) from None
    return counter


def takedown_restore(*, takedown: Takedown, by: User | None, reason: str = "") -> Takedown:
    """Put the document back as it was (a counter-notice upheld, or a mistake)."""
    return _decide_takedown(takedown, by, reason, restore=True)


def takedown_confirm(*, takedown: Takedown, by: User | None, reason: str = "") -> Takedown:
    """Keep the document down for good (a counter-notice refused)."""
    return _decide_takedown(takedown, by, reason, restore=False)


def _decide_takedown(
    takedown: Takedown, by: User | None, reason: str, *, restore: bool
) -> Takedown:
    operator = _require(by, HANDLE_NOTICE, TAKE_DOWN)
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = (
            Takedown.objects.select_for_update(of=("self",))
            .select_related("document", "document__owner", "notice", "uploader")
            .get(pk=takedown.pk)
        )
        if locked.status != Takedown.Status.ACTIVE:
            raise Conflict(_("This takedown was already decided."))
        document = locked.document
        if restore:
            documents.document_restore(document=document, by=operator)
            locked.status = Takedown.Status.RESTORED
            counter_status = CounterNotice.Status.RESTORED
            action, kind = Action.RESTORED, kinds.RESTORED
        else:
            locked.status = Takedown.Status.CONFIRMED
            counter_status = CounterNotice.Status.CONFIRMED
            action, kind = Action.TAKEDOWN_CONFIRMED, kinds.CONFIRMED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        locked.counter_notices.filter(status=CounterNotice.Status.OPEN).update(
            status=counter_status,
            decided_by=operator,
            decided_at=locked.decided_at,
            decision_reason=reason,
        )
        audit_record(action, actor=operator, document=document, reason=reason, takedown=locked.pk)
        notify(
            locked.uploader,
            kind,
            url=document.get_absolute_url(),
            title=document.title,
            reason=reason or "-",
        )
        if locked.notice is not None:
            _mail_sender(locked.notice, "restored" if restore else "confirmed")
    takedown.status = locked.status
    return locked


# --- Repeat infringers --------------------------------------------------------------------


def upheld_notices_against(member: User) -> int:
    """Distinct notices upheld against the member's documents (not later restored)."""
    return (
        Takedown.objects.filter(uploader=member, notice__isnull=False)
        .exclude(status=Takedown.Status.RESTORED)
        .values("notice_id")
        .distinct()
        .count()
    )


def repeat_infringer_check(member: User, *, by: User | None) -> bool:
    """The Nth upheld notice (``OPENWENKU_REPEAT_INFRINGER_NOTICES``) bans uploads."""
    limit = settings.OPENWENKU["REPEAT_INFRINGER_NOTICES"]
    upheld = upheld_notices_against(member)
    if not limit or upheld < limit:
        return False
    _ban_repeat_infringer(member, notices=upheld, by=by)
    return True


def _ban_repeat_infringer(member: User, *, notices: int, by: User | None) -> Penalty | None:
    """Ban the member's uploads for ``OPENWENKU_REPEAT_INFRINGER_BAN_DAYS`` days (0:
    for good): an upload-ban penalty imposed by the site itself (audited, shown on the
    member's page, told to them with its reason and end). None if one is in force."""
    if penalty_in_force(member, Penalty.Kind.UPLOAD_BAN) is not None:
        return None
    days = settings.OPENWENKU["REPEAT_INFRINGER_BAN_DAYS"]
    reason = str(
        _("%(n)d copyright notices against your documents were upheld (repeat infringer).")
        % {"n": notices}
    )
    return penalty_impose(
        member=member,
        kind=Penalty.Kind.UPLOAD_BAN,
        reason=reason,
        days=days if days > 0 else None,
        by=None,  # the rule imposes it, not the operator who upheld the last notice
    )


def takedown_from_report(document: Document, by: User, reason: str) -> Takedown:
    """The report queue's "take down" (``services.register_takedown``): the cause
    follows what the document's open reports say (privacy, illegal, else copyright)."""
    reported = set(
        Report.objects.filter(document=document, status=Report.Status.OPEN).values_list(
            "reason", flat=True
        )
    )
    cause = next(
        (c for c in (Cause.PRIVACY, Cause.ILLEGAL) if c.value in reported), Cause.COPYRIGHT
    )
    return take_down(document=document, cause=cause, by=by, reason=reason)


# --- Claims (认领) ------------------------------------------------------------------------


def claim_create(
    *,
    document: Document,
    claimant: User,
    evidence: str,
    contact: str,
    files: Sequence[UploadedFile] = (),
) -> Claim:
    if document.owner_id == claimant.pk:
        raise NoticeRefused(_("This document is yours already."), code="claim_own_document")
    attachments_check(files)
    try:
        with transaction.atomic():
            claim = Claim.objects.create(
                document=document,
                claimant=claimant,
                previous_owner_id=document.owner_id,
                evidence=evidence.strip(),
                contact=contact.strip()[:200],
            )
            _attach(files, claim=claim)
    except IntegrityError:
        raise Conflict(
            _("Your claim of this document is already waiting for an operator.")
        ) from None
    return claim


def claim_approve(*, claim: Claim, by: User | None, reason: str = "") -> Claim:
    """The document becomes the claimant's: its future sales earn for them."""
    operator = _require(by, HANDLE_CLAIM)
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("document", "claimant")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.OPEN:
            raise Conflict(_("This claim was already decided."))
        document = locked.document
        previous = document.owner
        documents.document_transfer(document=document, to=locked.claimant, by=operator)
        locked.status = Claim.Status.APPROVED
        locked.previous_owner = previous
        locked.decided_by = operator
        locked.decided_at = timezone.now()
        locked.decision_reason = (reason or "").strip()
        locked.save()
        locked.document.claims.filter(status=Claim.Status.OPEN).exclude(pk=locked.pk).update(
            status=Claim.Status.REJECTED, decided_by=operator, decided_at=locked.decided_at
        )
        audit_record(
            Action.CLAIM_APPROVED,
            actor=operator,
            document=document,
            member=locked.claimant,
            reason=locked.decision_reason,
            previous_owner=previous.get_username(),
        )
        url = document.get_absolute_url()
        notify(previous, kinds.CLAIM_LOST, url=url, title=document.title)
        notify(locked.claimant, kinds.CLAIM_APPROVED, url=url, title=document.title)
    return locked


def claim_reject(*, claim: Claim, by: User | None, reason: str) -> Claim:
    operator = _require(by, HANDLE_CLAIM)
    reason = (reason or "").strip()
    if not reason:
        raise NoticeRefused(_("Say why the claim is rejected."), code="reason_required")
    with transaction.atomic():
        locked = (
            Claim.objects.select_for_update(of=("self",))
            .select_related("document", "claimant")
            .get(pk=claim.pk)
        )
        if locked.status != Claim.Status.OPEN:
            raise Conflict(_("This claim was already decided."))
        locked.status = Claim.Status.REJECTED
        locked.decided_by = operator
        locked.decided_at = timezone.now()
        locked.decision_reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            Action.CLAIM_REJECTED,
            actor=operator,
            document=locked.document,
            member=locked.claimant,
            reason=reason,
        )
        notify(
            locked.claimant,
            kinds.CLAIM_REJECTED,
            url=locked.document.get_absolute_url(),
            title=locked.document.title,
            reason=reason,
        )
    return locked
