"""Coin packages, orders, and the one credit (and one refund debit) of an order.

An order is credited at most once: ``Credit`` has a one-to-one link to the
order and is written in the same transaction as the ledger entry, so a second
credit of the same order fails in the database, whatever the code does."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    ALIPAY = "alipay", _("Alipay")
    WECHAT = "wechat", _("WeChat Pay")


class CoinPackage(models.Model):
    """What a member may buy: a price in fen for coins (and bonus coins)."""

    name = models.CharField(_("name"), max_length=60)
    price_fen = models.PositiveIntegerField(_("price (fen)"))
    coins = models.PositiveIntegerField(_("coins"))
    bonus_coins = models.PositiveIntegerField(_("bonus coins"), default=0)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(_("on sale"), default=True)

    class Meta:
        verbose_name = _("coin package")
        verbose_name_plural = _("coin packages")
        ordering = ["position", "price_fen"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_fen__gt=0), name="package_price_positive"
            ),
            models.CheckConstraint(condition=models.Q(coins__gt=0), name="package_coins_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def total_coins(self) -> int:
        return self.coins + self.bonus_coins

    @property
    def price_yuan(self) -> str:
        return f"{self.price_fen // 100}.{self.price_fen % 100:02d}"


class Order(models.Model):
    class State(models.TextChoices):
        CREATED = "created", _("Awaiting payment")
        PAID = "paid", _("Paid")
        CREDITED = "credited", _("Credited")
        CLOSED = "closed", _("Closed")
        REFUNDED = "refunded", _("Refunded")
        FLAGGED = "flagged", _("Flagged for an operator")

    number = models.CharField(_("order number"), max_length=32, unique=True)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="payment_orders",
        verbose_name=_("member"),
    )
    package = models.ForeignKey(
        CoinPackage, on_delete=models.PROTECT, related_name="orders", verbose_name=_("package")
    )
    # Copied from the package when ordered: an operator may change the package later.
    amount_fen = models.PositiveIntegerField(_("amount (fen)"))
    coins = models.PositiveIntegerField(_("coins"))
    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CREATED, db_index=True
    )
    provider_trade_no = models.CharField(_("provider's trade number"), max_length=64, blank=True)
    # WeChat Pay Native: the code_url drawn as a QR code on the order's page.
    code_url = models.CharField(max_length=255, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    credited_at = models.DateTimeField(_("credited at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment order")
        verbose_name_plural = _("payment orders")
        ordering = ["-id"]
        permissions = [("refund_order", _("Refund a payment order"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gt=0), name="order_amount_positive"
            ),
            models.CheckConstraint(condition=models.Q(coins__gt=0), name="order_coins_positive"),
            # One provider trade pays one order.
            models.UniqueConstraint(
                fields=["provider", "provider_trade_no"],
                condition=~models.Q(provider_trade_no=""),
                name="order_one_per_provider_trade",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def amount_yuan(self) -> str:
        return f"{self.amount_fen // 100}.{self.amount_fen % 100:02d}"


class Credit(models.Model):
    """The coins an order brought in: one row per order, ever."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="credit")
    entry = models.OneToOneField(
        "market.LedgerEntry", on_delete=models.PROTECT, related_name="payment_credit"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.entry_id}"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Credits are never deleted."))


class Refund(models.Model):
    """The coins taken back when an order was refunded: one row per order, ever."""

    order = models.OneToOneField(Order, on_delete=models.PROTECT, related_name="refund")
    entry = models.OneToOneField(
        "market.LedgerEntry", on_delete=models.PROTECT, related_name="payment_refund"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    reason = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")

    def __str__(self) -> str:
        return f"{self.order_id}: {self.entry_id}"

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValidationError(_("Refunds are never deleted."))
