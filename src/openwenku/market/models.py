"""Coins, the ledger, purchases, downloads, rewards and withdrawals.

Money rules (see docs/architecture.md, Money):
- Integer coins. ``LedgerEntry`` rows are the history; nothing updates or
  deletes them (database triggers refuse it, see migration 0002).
- ``Wallet.balance`` is a cache of the sum of its entries. The database keeps
  it equal: a trigger applies each new entry to its wallet, another refuses
  any other change of the balance, and CHECK constraints keep both the
  balance and every entry's ``balance_after`` non-negative.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

_SETTINGS_CACHE_KEY = "openwenku:market-settings"

# Operators' powers over money, granted as Django permissions (staff status only
# opens the admin site). Seeing a member's wallet or earnings is ``view_wallet``.
GRANT_COINS = "market.grant_coins"
APPROVE_WITHDRAWAL = "market.approve_withdrawal"
VIEW_WALLET = "market.view_wallet"


class MarketSettings(models.Model):
    """The operator's money settings (one row; defaults until it is saved)."""

    commission_percent = models.PositiveSmallIntegerField(
        _("commission (%)"),
        default=0,
        help_text=_("Share of each sale kept by the site; the uploader gets the rest."),
    )
    upload_reward = models.PositiveIntegerField(
        _("upload reward (coins)"),
        default=1,
        help_text=_("Given when an upload is published; never twice for the same file."),
    )
    signin_reward = models.PositiveIntegerField(_("daily sign-in reward (coins)"), default=1)
    default_preview_pages = models.PositiveIntegerField(
        _("default free preview pages"),
        default=10,
        help_text=_("For priced documents whose uploader set no number."),
    )
    downloads_per_user_per_day = models.PositiveIntegerField(
        _("downloads per member per day"), default=50, help_text=_("0 means no limit.")
    )
    downloads_per_ip_per_day = models.PositiveIntegerField(
        _("downloads per IP address per day"), default=200, help_text=_("0 means no limit.")
    )
    free_download_requires_login = models.BooleanField(
        _("free documents need an account to download"), default=True
    )
    min_withdrawal = models.PositiveIntegerField(_("minimum withdrawal (coins)"), default=100)

    class Meta:
        verbose_name = _("market settings")
        verbose_name_plural = _("market settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="market_settings_singleton"),
            models.CheckConstraint(
                condition=models.Q(commission_percent__lte=100),
                name="market_settings_commission_le_100",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1
        super().save(*args, **kwargs)
        cache.delete(_SETTINGS_CACHE_KEY)

    @classmethod
    def current(cls) -> MarketSettings:
        """The saved row, or an unsaved one with the defaults (cached for a minute)."""
        row = cache.get(_SETTINGS_CACHE_KEY)
        if row is None:
            row = cls.objects.filter(pk=1).first()
            if row is None:
                row = cls(pk=1, default_preview_pages=settings.OPENWENKU["DEFAULT_PREVIEW_PAGES"])
            cache.set(_SETTINGS_CACHE_KEY, row, 60)
        return row


class Wallet(models.Model):
    """A coin account: one per member, plus the site's own accounts."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        PLATFORM = "platform", _("Site commission")
        HELD = "held", _("Withdrawals on hold")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wallet",
        verbose_name=_("member"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    # Written only by the database trigger that applies ledger entries.
    balance = models.BigIntegerField(_("balance"), default=0, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("wallet")
        verbose_name_plural = _("wallets")
        permissions = [("grant_coins", _("Grant or deduct coins"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="wallet_balance_non_negative"
            ),
            models.CheckConstraint(
                condition=(models.Q(kind="member") & models.Q(user__isnull=False))
                | (~models.Q(kind="member") & models.Q(user__isnull=True)),
                name="wallet_member_has_user",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=~models.Q(kind="member"), name="wallet_one_per_site_kind"
            ),
        ]

    def __str__(self) -> str:
        if self.user_id:
            return f"{self.user} ({self.balance})"
        return f"{self.get_kind_display()} ({self.balance})"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Wallets are never deleted."))


class LedgerEntry(models.Model):
    """One change of one wallet. Append-only."""

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase")
        SALE = "sale", _("Sale")
        COMMISSION = "commission", _("Commission")
        REFUND = "refund", _("Refund")
        UPLOAD_REWARD = "upload_reward", _("Upload reward")
        SIGNIN_REWARD = "signin_reward", _("Sign-in reward")
        REWARD_CLAWBACK = "reward_clawback", _("Reward taken back")
        GRANT = "grant", _("Granted by an operator")
        DEDUCTION = "deduction", _("Deducted by an operator")
        RECHARGE = "recharge", _("Recharge")
        WITHDRAWAL_HOLD = "withdrawal_hold", _("Withdrawal on hold")
        WITHDRAWAL_PAID = "withdrawal_paid", _("Withdrawal paid")
        WITHDRAWAL_RETURNED = "withdrawal_returned", _("Withdrawal returned")
        VIP_PURCHASE = "vip_purchase", _("VIP membership")
        VIP_PAYOUT = "vip_payout", _("VIP download income")

    wallet = models.ForeignKey(
        Wallet, on_delete=models.PROTECT, related_name="entries", verbose_name=_("wallet")
    )
    amount = models.BigIntegerField(_("amount"))
    balance_after = models.BigIntegerField(_("balance after"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # What caused it. Documents may be deleted one day; their number stays here.
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("document"),
    )
    purchase = models.ForeignKey(
        "Purchase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("purchase"),
    )
    withdrawal = models.ForeignKey(
        "Withdrawal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("withdrawal"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by operator"),
    )
    memo = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["wallet", "id"], name="ledger_wallet_seq"),
            models.Index(fields=["wallet", "kind", "created_at"], name="ledger_wallet_kind_time"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=models.Q(balance_after__gte=0), name="ledger_balance_after_non_negative"
            ),
            # A purchase moves coins once per wallet and kind (retries cannot post twice).
            models.UniqueConstraint(
                fields=["wallet", "kind", "purchase"],
                condition=models.Q(purchase__isnull=False),
                name="ledger_once_per_purchase",
            ),
            models.UniqueConstraint(
                fields=["wallet", "kind", "withdrawal"],
                condition=models.Q(withdrawal__isnull=False),
                name="ledger_once_per_withdrawal",
            ),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(kind="upload_reward"),
                name="ledger_one_upload_reward_per_document",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:+d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Ledger entries are never changed; add a correction."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Ledger entries are never deleted; add a correction."))


class Purchase(models.Model):
    """A buyer's right to a document, paid once.

    The seller's income from it becomes withdrawable only after the hold
    (``OPENWENKU_SALE_HOLD_DAYS`` from ``created_at``), and only if the sale is
    not waiting for review: a sale paid mostly with the buyer's recent rewards
    is flagged at purchase time until an operator clears it.
    """

    class Review(models.TextChoices):
        NONE = "", _("Not needed")
        FLAGGED = "flagged", _("Waiting for review")
        CLEARED = "cleared", _("Cleared by an operator")

    buyer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("buyer"),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("document"),
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sales",
        verbose_name=_("seller"),
    )
    price = models.PositiveIntegerField(_("price"))
    commission = models.PositiveIntegerField(_("commission"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    created_at = models.DateTimeField(_("bought at"), auto_now_add=True, db_index=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    refund_reason = models.CharField(_("refund reason"), max_length=255, blank=True)
    review = models.CharField(
        _("sale review"),
        max_length=8,
        choices=Review.choices,
        default=Review.NONE,
        blank=True,
        db_index=True,
    )
    review_reason = models.CharField(_("review reason"), max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # A VIP member's download (services/vip.py): ``price`` is what the member
    # paid (0 when the plan downloads free, all of it kept by the site as
    # ``commission``); the uploader's income is ``vip_payout``, paid by the site.
    via_vip = models.BooleanField(_("VIP download"), default=False)
    vip_payout = models.PositiveIntegerField(_("VIP payout to the uploader"), default=0)

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["buyer", "document"],
                condition=models.Q(refunded_at__isnull=True),
                name="purchase_once_per_buyer_document",
            ),
            models.UniqueConstraint(
                fields=["buyer", "idempotency_key"], name="purchase_unique_idempotency_key"
            ),
            models.CheckConstraint(
                condition=models.Q(commission__lte=models.F("price")),
                name="purchase_commission_le_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.buyer} → {self.document_id} ({self.price})"

    @property
    def seller_share(self) -> int:
        """What the buyer's coins paid the uploader (a VIP download's ``vip_payout``
        comes from the site instead)."""
        return self.price - self.commission

    @property
    def is_active(self) -> bool:
        return self.refunded_at is None


class Download(models.Model):
    """One download of an original: counted for caps, statistics and history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("member"),
    )
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="download_log",
        verbose_name=_("document"),
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("download")
        verbose_name_plural = _("downloads")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "created_at"], name="download_user_time"),
            models.Index(fields=["ip", "created_at"], name="download_ip_time"),
            models.Index(fields=["document", "created_at"], name="download_doc_time"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class DocumentDay(models.Model):
    """Views and downloads of one document on one day (for the earnings chart)."""

    document = models.ForeignKey(
        "documents.Document", on_delete=models.CASCADE, related_name="daily_stats"
    )
    day = models.DateField()
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "day"], name="document_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.day}"


class RewardedFile(models.Model):
    """A SHA-256 that has earned (or was denied) an upload reward: never again.

    Kept apart from documents so deleting and re-uploading a file earns nothing.
    """

    sha256 = models.CharField(max_length=64, unique=True)
    document_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sha256


class RewardClawback(models.Model):
    """An upload reward taken back because its document was removed for cause.

    One per document. The ledger gets a reversing entry for what the wallet
    could cover (``taken``); balances never go below zero, so the rest stays
    recorded here as ``owed`` (not collected automatically).
    """

    document_id = models.BigIntegerField(_("document"), unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reward_clawbacks",
        verbose_name=_("member"),
    )
    reward = models.PositiveIntegerField(_("reward"))
    taken = models.PositiveIntegerField(_("taken back"))
    reason = models.CharField(_("reason"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by operator"),
    )
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reward taken back")
        verbose_name_plural = _("rewards taken back")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("reward")), name="clawback_taken_le_reward"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.taken}/{self.reward}"

    @property
    def owed(self) -> int:
        return self.reward - self.taken


class SaleFreeze(models.Model):
    """A document taken down for cause: the income from its sales is not
    withdrawable while it is down (``selectors._sale_pending``). Deleted when
    the document is restored."""

    document_id = models.BigIntegerField(_("document"), unique=True)
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("frozen sale earnings")
        verbose_name_plural = _("frozen sale earnings")

    def __str__(self) -> str:
        return str(self.document_id)


class SaleReversal(models.Model):
    """A sale reversed to its buyer after a takedown (OPENWENKU_TAKEDOWN_REFUND_BUYERS).

    The buyer gets the whole price back; the seller's wallet gives what it can
    cover (``taken``), balances never go below zero, so the rest is recorded as
    ``owed`` (not collected automatically), as with ``RewardClawback``.
    """

    purchase = models.OneToOneField(
        Purchase, on_delete=models.PROTECT, related_name="reversal", verbose_name=_("purchase")
    )
    seller_share = models.PositiveIntegerField(_("seller's share"))
    taken = models.PositiveIntegerField(_("taken from the seller"))
    reason = models.CharField(_("reason"), max_length=255)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("sale reversed after a takedown")
        verbose_name_plural = _("sales reversed after a takedown")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(taken__lte=models.F("seller_share")),
                name="reversal_taken_le_share",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purchase_id}: {self.taken}/{self.seller_share}"

    @property
    def owed(self) -> int:
        return self.seller_share - self.taken


class SignIn(models.Model):
    """A member's daily sign-in (签到)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signins"
    )
    day = models.DateField()
    reward = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="signin_once_a_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


class PricingLock(models.Model):
    """An operator's override of a document's price and free pages.

    While it exists the uploader cannot change them."""

    document = models.OneToOneField(
        "documents.Document",
        on_delete=models.CASCADE,
        related_name="pricing_lock",
        verbose_name=_("document"),
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("locked by"),
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pricing lock")
        verbose_name_plural = _("pricing locks")

    def __str__(self) -> str:
        return str(self.document_id)


class Withdrawal(models.Model):
    """A request to pay earned coins out. The coins are held at once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Paid")
        REJECTED = "rejected", _("Rejected")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="withdrawals",
        verbose_name=_("member"),
    )
    amount = models.PositiveIntegerField(_("amount"))
    account = models.CharField(
        _("payout account"),
        max_length=200,
        help_text=_("Where the operator should pay you, e.g. an Alipay account and name."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    idempotency_key = models.CharField(_("idempotency key"), max_length=64)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("withdrawal")
        verbose_name_plural = _("withdrawals")
        permissions = [("approve_withdrawal", _("Approve or reject withdrawals"))]
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="withdrawal_positive"),
            models.UniqueConstraint(
                fields=["user", "idempotency_key"], name="withdrawal_unique_idempotency_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.amount} ({self.get_status_display()})"


class VipPlan(models.Model):
    """A VIP membership an operator sells: so many days of downloads of priced
    documents, up to a quota a day, free or at a discount."""

    name = models.CharField(_("name"), max_length=60)
    days = models.PositiveSmallIntegerField(_("days"), help_text=_("e.g. 30 or 365."))
    price_coins = models.PositiveIntegerField(
        _("price in coins"), default=0, help_text=_("0: not sold for coins.")
    )
    price_fen = models.PositiveIntegerField(
        _("price in fen"), default=0, help_text=_("For sale with money (1 yuan = 100 fen).")
    )
    downloads_per_day = models.PositiveIntegerField(_("VIP downloads per day"), default=10)
    discount_percent = models.PositiveSmallIntegerField(
        _("discount (%)"),
        default=100,
        help_text=_("Off the price of a priced document; 100 means free."),
    )
    active = models.BooleanField(_("on sale"), default=True)
    position = models.PositiveSmallIntegerField(_("order shown"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("VIP plan")
        verbose_name_plural = _("VIP plans")
        ordering = ["position", "days", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(days__gt=0), name="vip_plan_days_positive"),
            models.CheckConstraint(
                condition=models.Q(discount_percent__lte=100), name="vip_plan_discount_le_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def price_for(self, price: int) -> int:
        """What a member on this plan pays for a document of ``price`` coins."""
        return price - price * self.discount_percent // 100


class VipMembership(models.Model):
    """A member's VIP state: the plan of the latest grant and until when it runs."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vip",
        verbose_name=_("member"),
    )
    plan = models.ForeignKey(
        VipPlan, on_delete=models.PROTECT, related_name="+", verbose_name=_("plan")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("VIP membership")
        verbose_name_plural = _("VIP memberships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="vip_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.plan} → {self.ends_at:%Y-%m-%d}"


class VipGrant(models.Model):
    """One grant of a plan's days: bought with coins, paid with money (by the
    payments app), or given by an operator. Once per (source, reference)."""

    class Source(models.TextChoices):
        COINS = "coins", _("Bought with coins")
        PAYMENT = "payment", _("Paid with money")
        OPERATOR = "operator", _("Given by an operator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="vip_grants",
        verbose_name=_("member"),
    )
    plan = models.ForeignKey(
        VipPlan, on_delete=models.PROTECT, related_name="grants", verbose_name=_("plan")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reference = models.CharField(_("reference"), max_length=100)
    days = models.PositiveSmallIntegerField(_("days"))
    coins = models.PositiveIntegerField(_("coins paid"), default=0)
    # Set when the coins were mostly the member's recent rewards (``sale_needs_review``):
    # the uploaders' income from this grant's VIP downloads then waits for review.
    review_reason = models.CharField(_("review reason"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("VIP grant")
        verbose_name_plural = _("VIP grants")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "reference"], name="vip_grant_once_per_reference"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.plan} ({self.source}:{self.reference})"
