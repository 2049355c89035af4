"""Who may do what to a document, with the reason when not.

The facts come from the apps below (documents: status, uploader, price, free
pages; accounts: operators' permissions; market: purchases and the site's
defaults); the rules that combine them live here only.

Operators hold Django permissions, never a blanket power for being staff
(``is_staff`` only opens the admin site): ``documents.read_all_content`` reads
every page and downloads every original of a published document free;
``documents.manage_any_document`` manages (edits, prices, locks the price of,
unpublishes, deletes) anybody's document. A superuser holds every permission.
A document taken down for cause (``Document.Status.TAKEN_DOWN``) is refused to
everyone with ``Reason.TAKEN_DOWN`` (410), buyers and its uploader included;
only holders of ``moderation.handle_notice`` or ``moderation.take_down`` still
read its pages (in their queue).
``moderation.review_document`` sees a held document whole (its page and every page
image and text, never the original) to review it.

``tests/access/test_policy.py`` is the specification: reader kind × document
state × action → decision.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError
from openwenku.documents.models import MANAGE_ANY_DOCUMENT, READ_ALL_CONTENT, Document
from openwenku.market.models import VIEW_WALLET, MarketSettings, Purchase
from openwenku.moderation.models import REVIEW_DOCUMENT
from openwenku.moderation.permissions import HANDLE_NOTICE, TAKE_DOWN

if TYPE_CHECKING:
    from openwenku.accounts.types import Reader as Person

# Whoever reads: a member, an anonymous visitor (``request.user`` either way), or
# None for "anyone" (what search snippets, meta descriptions and sitemaps may show).
Reader: TypeAlias = "Person | None"


class Action(enum.StrEnum):
    VIEW = "view"  # the document page: title, metadata, cover
    READ_PAGE = "read_page"  # the image of page N
    READ_TEXT = "read_text"  # the text of page N
    DOWNLOAD = "download"  # the original file
    MANAGE = "manage"  # edit, price, unpublish, delete; watch it convert
    BUY = "buy"  # pay coins for the right to download it


class Reason(enum.StrEnum):
    NOT_PUBLISHED = "not_published"  # converting, failed or unpublished: hidden from readers
    NEEDS_LOGIN = "needs_login"
    NEEDS_PURCHASE = "needs_purchase"
    NOT_MANAGER = "not_manager"  # only the uploader and documents.manage_any_document
    NO_SUCH_PAGE = "no_such_page"
    NOTHING_TO_BUY = "nothing_to_buy"  # free, or the reader may download it already
    TAKEN_DOWN = "taken_down"  # removed for cause (copyright, illegal, privacy): 410 for all


class AccessDenied(ApplicationError):
    """A refusal by the access layer; ``reason`` says which rule refused.

    A document a reader may not see answers as if it did not exist (404,
    ``not_found``): nothing reveals that a number is taken.
    """

    _STATUS = {
        Reason.NOT_PUBLISHED: 404,
        Reason.NO_SUCH_PAGE: 404,
        Reason.NEEDS_LOGIN: 401,
        Reason.NEEDS_PURCHASE: 402,
        Reason.NOT_MANAGER: 403,
        Reason.NOTHING_TO_BUY: 409,
        Reason.TAKEN_DOWN: 410,
    }
    _MESSAGES = {
        Reason.NOT_PUBLISHED: _("Not found."),
        Reason.NO_SUCH_PAGE: _("Not found."),
        Reason.NEEDS_LOGIN: _("Please log in first."),
        Reason.NEEDS_PURCHASE: _("Buy this document to read every page and download it."),
        Reason.NOT_MANAGER: _("Only the uploader and operators may do this."),
        Reason.NOTHING_TO_BUY: _("You may download this document already."),
        Reason.TAKEN_DOWN: _(
            "This document was removed after a copyright or legal notice and is no longer "
            "available."
        ),
    }

    def __init__(self, reason: Reason) -> None:
        self.reason = reason
        hidden = reason in (Reason.NOT_PUBLISHED, Reason.NO_SUCH_PAGE)
        super().__init__(
            self._MESSAGES[reason],
            code="not_found" if hidden else str(reason),
            status=self._STATUS[reason],
        )


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason | None = None

    def __bool__(self) -> bool:
        return self.allowed

    def check(self) -> None:
        """Raise :class:`AccessDenied` with the reason when the answer is no."""
        if not self.allowed:
            assert self.reason is not None
            raise AccessDenied(self.reason)


ALLOW = Decision(True)


def deny(reason: Reason) -> Decision:
    return Decision(False, reason)


def is_member(reader: Reader) -> bool:
    return bool(reader is not None and reader.is_authenticated)


def is_manager(reader: Reader, document: Document) -> bool:
    """The uploader and holders of ``documents.manage_any_document`` manage a
    document, and never pay for it (``Document.is_managed_by``, which the market
    below this layer asks too)."""
    return document.is_managed_by(reader)


def reads_everything(reader: Reader) -> bool:
    """Holders of ``documents.read_all_content`` read every page and download every
    original of a published document without buying it."""
    return is_member(reader) and reader.has_perm(READ_ALL_CONTENT)  # type: ignore[union-attr]


def reviews(reader: Reader, document: Document) -> bool:
    """Holders of ``moderation.review_document`` read a held document to review it
    (a held document is otherwise seen by its managers only, marked under review)."""
    return (
        document.status == Document.Status.HELD
        and is_member(reader)
        and reader.has_perm(REVIEW_DOCUMENT)  # type: ignore[union-attr]
    )


def may_lock_prices(reader: Reader) -> bool:
    """Only operators who manage any document fix a price against its uploader."""
    return is_member(reader) and reader.has_perm(MANAGE_ANY_DOCUMENT)  # type: ignore[union-attr]


def may_see_earnings(reader: Reader, member_id: int) -> bool:
    """A member's earnings are theirs, and open to holders of ``market.view_wallet``."""
    return is_member(reader) and (
        reader.pk == member_id or reader.has_perm(VIEW_WALLET)  # type: ignore[union-attr]
    )


def preview_limit(document: Document) -> int:
    """How many leading pages anyone may see without buying the document.

    A free document shows every page. A priced one shows ``preview_pages`` if
    the uploader (or an operator) set it, else the site default. This is also
    all that search snippets, meta descriptions and listings ever show.
    """
    total = document.page_count
    if document.preview_pages is not None:
        return min(document.preview_pages, total)
    if document.price == 0:
        return total
    return min(MarketSettings.current().default_preview_pages, total)


def has_purchased(reader: Reader, document: Document) -> bool:
    if not is_member(reader):
        return False
    return Purchase.objects.filter(
        buyer_id=reader.pk,  # type: ignore[union-attr]
        document_id=document.pk,
        refunded_at__isnull=True,
    ).exists()


def reviews_takedowns(reader: Reader) -> bool:
    """Operators who decide notices, takedowns and counter-notices read the pages
    of a taken-down document (in their queue); nobody else sees anything of it."""
    return is_member(reader) and (
        reader.has_perm(HANDLE_NOTICE) or reader.has_perm(TAKE_DOWN)  # type: ignore[union-attr]
    )


@dataclass(frozen=True)
class DocumentAccess:
    """What one reader may do with one document, computed once per request."""

    published: bool
    manager: bool
    # Unpublished by its uploader or an operator after this reader bought it: the
    # buyer keeps what they paid for (pages and download); nobody else sees it.
    kept_for_buyer: bool
    member: bool
    can_download: bool
    # Why the reader may not download: needs_login, needs_purchase, or None.
    download_reason: Reason | None
    purchased: bool
    visible_pages: int
    free_pages: int
    total_pages: int
    # Taken down for cause: the page answers 410 to everyone, buyers included;
    # only takedown reviewers still read its pages.
    taken_down: bool = False
    takedown_reviewer: bool = False
    # A reviewer of a held document (``reviews``): sees it whole, manages nothing.
    reviewer: bool = False

    @property
    def hidden_pages(self) -> int:
        return max(0, self.total_pages - self.visible_pages)

    @property
    def needs(self) -> str:
        """What the document page offers the reader: "login", "purchase" or ""."""
        if self.download_reason is Reason.NEEDS_LOGIN:
            return "login"
        return "purchase" if self.download_reason is Reason.NEEDS_PURCHASE else ""

    @property
    def can_view(self) -> bool:
        return self.published or self.manager or self.kept_for_buyer or self.reviewer

    @property
    def can_manage(self) -> bool:
        return self.manager

    def decide(self, action: Action, page: int | None = None) -> Decision:
        if self.taken_down:
            if (
                self.takedown_reviewer
                and action in (Action.READ_PAGE, Action.READ_TEXT)
                and page is not None
                and 1 <= page <= self.total_pages
            ):
                return ALLOW
            return deny(Reason.TAKEN_DOWN)
        if not self.can_view:
            return deny(Reason.NOT_PUBLISHED)
        if action is Action.VIEW:
            return ALLOW
        if action is Action.MANAGE:
            return ALLOW if self.manager else deny(Reason.NOT_MANAGER)
        if action in (Action.READ_PAGE, Action.READ_TEXT):
            if page is None or not 1 <= page <= self.visible_pages:
                return deny(Reason.NO_SUCH_PAGE)
            return ALLOW
        if action is Action.DOWNLOAD and self.kept_for_buyer:
            return ALLOW
        if not self.published:
            # Otherwise downloads and purchases are for published documents only, even
            # for managers.
            return deny(Reason.NOTHING_TO_BUY if self.kept_for_buyer else Reason.NOT_PUBLISHED)
        if action is Action.DOWNLOAD:
            return ALLOW if self.can_download else deny(self.download_reason or Reason.NEEDS_LOGIN)
        if action is Action.BUY:
            if self.can_download or self.download_reason is not Reason.NEEDS_PURCHASE:
                return deny(Reason.NOTHING_TO_BUY)
            return ALLOW if self.member else deny(Reason.NEEDS_LOGIN)
        raise ValueError(f"unknown action {action!r}")

    def check(self, action: Action, page: int | None = None) -> None:
        self.decide(action, page).check()


def access_for(reader: Reader, document: Document) -> DocumentAccess:
    """The one rule for pages, text, downloads, purchases and management.

    Anyone sees a published document and its free preview (``preview_limit``).
    Whoever may download the original (a buyer, a manager, a holder of
    ``read_all_content``; anyone for a free document, or any member when the
    site wants an account)
    sees every page: they could read the file anyway. Documents that are not
    published (converting, failed, unpublished) exist only for their managers,
    except that whoever bought a document keeps it when it is unpublished.
    A document taken down for cause is gone for everyone, buyers included (410).
    """
    if document.status == Document.Status.TAKEN_DOWN:
        return DocumentAccess(
            published=False,
            manager=False,
            kept_for_buyer=False,
            member=is_member(reader),
            can_download=False,
            download_reason=Reason.TAKEN_DOWN,
            purchased=False,
            visible_pages=0,
            free_pages=0,
            total_pages=document.page_count,
            taken_down=True,
            takedown_reviewer=reviews_takedowns(reader),
        )
    published = document.status == Document.Status.READY
    manager = is_manager(reader, document)
    reviewer = reviews(reader, document)
    member = is_member(reader)
    free = preview_limit(document)
    total = document.page_count
    purchased = False
    kept = False
    reason: Reason | None = None
    if manager or reviewer or (published and reads_everything(reader)):
        allowed = True
    elif document.status == Document.Status.UNPUBLISHED:
        # Whatever its price now, a purchase made while it was on sale still counts.
        purchased = kept = has_purchased(reader, document)
        allowed = kept
        reason = None if kept else Reason.NEEDS_PURCHASE
    elif document.price == 0:
        needs_login = MarketSettings.current().free_download_requires_login
        allowed = member or not needs_login
        reason = None if allowed else Reason.NEEDS_LOGIN
    else:
        purchased = has_purchased(reader, document)
        allowed = purchased
        reason = None if purchased else Reason.NEEDS_PURCHASE
    return DocumentAccess(
        published=published,
        manager=manager,
        kept_for_buyer=kept,
        member=member,
        can_download=allowed,
        download_reason=reason,
        purchased=purchased,
        visible_pages=total if allowed else free,
        free_pages=free,
        total_pages=total,
        reviewer=reviewer,
    )


def decide(reader: Reader, document: Document, action: Action, page: int | None = None) -> Decision:
    """One question, one answer: ``decide(user, doc, Action.READ_PAGE, 5)``."""
    return access_for(reader, document).decide(action, page)
