"""Orders and the coins they bring in.

Only a provider's verified notification, or reconciliation through the
provider's query API, credits an order; it goes through the market's
``coins_add`` (kind ``recharge``) and writes the order's one ``Credit`` row in
the same transaction, the order row locked first (then the wallet, as the
market asks). A second credit of an order is impossible: ``Credit.order`` is
unique. Refunds take the coins back through the market's ledger (never below
zero) before the provider's refund call, in one transaction."""

from __future__ import annotations

import datetime as dt
import enum
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openwenku.core.errors import ApplicationError
from openwenku.market import services as market
from openwenku.market.models import LedgerEntry

from . import config
from .models import CoinPackage, Credit, Order, Provider, Refund
from .providers import alipay, wechat
from .providers.alipay import ProviderError

if TYPE_CHECKING:
    from openwenku.accounts.types import User

log = logging.getLogger("openwenku.payments")

State = Order.State


class PaymentRefused(ApplicationError):
    code = "payment_refused"
    status = 400


class Outcome(enum.Enum):
    """What became of a provider's notification."""

    CREDITED = "credited"
    DUPLICATE = "duplicate"  # already credited by this very trade: answered, nothing done
    FLAGGED = "flagged"  # paid for a closed or expired order: an operator decides
    IGNORED = "ignored"  # a genuine notification of a state that credits nothing
    REFUSED = "refused"  # not genuine or not matching the order: nothing done

    @property
    def acknowledged(self) -> bool:
        return self is not Outcome.REFUSED


def new_order_number() -> str:
    """``R`` + local date and time + 8 random hex digits (23 characters)."""
    return "R" + timezone.localtime().strftime("%Y%m%d%H%M%S") + secrets.token_hex(4).upper()


def order_create(*, member: User, package_id: int, provider: str) -> Order:
    if provider not in config.providers_enabled():
        raise PaymentRefused(_("This payment method is not available."))
    package = CoinPackage.objects.filter(pk=package_id, active=True).first()
    if package is None:
        raise PaymentRefused(_("This package is not on sale."))
    now = timezone.now()
    return Order.objects.create(
        number=new_order_number(),
        member=member,
        package=package,
        amount_fen=package.price_fen,
        coins=package.total_coins,
        provider=provider,
        expires_at=now + dt.timedelta(minutes=config.expire_minutes()),
    )


def order_subject(order: Order) -> str:
    return f"OpenWenku {order.coins} coins"


def alipay_pay_url(*, order: Order, notify_url: str, return_url: str, mobile: bool) -> str:
    if order.provider != Provider.ALIPAY or order.state != State.CREATED:
        raise PaymentRefused(_("This order cannot be paid any more."))
    remaining = int((order.expires_at - timezone.now()).total_seconds() // 60)
    if remaining < 1:
        raise PaymentRefused(_("This order has expired; start a new one."))
    return alipay.pay_url(
        number=order.number,
        amount=config.yuan(order.amount_fen),
        subject=order_subject(order),
        notify_url=notify_url,
        return_url=return_url,
        mobile=mobile,
        timeout_minutes=remaining,
    )


def wechat_code_url(*, order: Order, notify_url: str) -> str:
    """The Native-pay address to draw as a QR code (asked once per order)."""
    if order.provider != Provider.WECHAT or order.state != State.CREATED:
        raise PaymentRefused(_("This order cannot be paid any more."))
    if not order.code_url:
        try:
            order.code_url = wechat.native_code_url(
                number=order.number,
                amount_fen=order.amount_fen,
                description=order_subject(order),
                notify_url=notify_url,
                expires_at=order.expires_at,
            )
        except ProviderError as exc:
            log.warning("wechat native pay %s: %s", order.number, exc)
            raise PaymentRefused(_("WeChat Pay is not available at the moment.")) from None
        order.save(update_fields=["code_url"])
    return order.code_url


def wechat_h5_url(*, order: Order, notify_url: str, return_url: str, client_ip: str) -> str:
    """H5 pay, for a phone's browser outside WeChat (OPENWENKU_WECHAT_H5)."""
    if order.provider != Provider.WECHAT or order.state != State.CREATED:
        raise PaymentRefused(_("This order cannot be paid any more."))
    try:
        return wechat.h5_url(
            number=order.number,
            amount_fen=order.amount_fen,
            description=order_subject(order),
            notify_url=notify_url,
            expires_at=order.expires_at,
            client_ip=client_ip,
            return_url=return_url,
        )
    except ProviderError as exc:
        log.warning("wechat h5 pay %s: %s", order.number, exc)
        raise PaymentRefused(_("WeChat Pay is not available at the moment.")) from None


def fen_of(amount: str) -> int | None:
    """ "12.34" → 1234; None unless a plain non-negative amount with at most 2 decimals."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return int(value * 100)


def _credit_locked(order: Order, trade_no: str, now: dt.datetime) -> None:
    order.provider_trade_no = trade_no
    order.state = State.PAID
    order.paid_at = order.paid_at or now
    entry = market.coins_add(
        user=order.member,
        amount=order.coins,
        kind=LedgerEntry.Kind.RECHARGE,
        memo=f"{order.get_provider_display()} {order.number}",
    )
    Credit.objects.create(order=order, entry=entry)
    order.state = State.CREDITED
    order.credited_at = now
    order.save()


def settle(
    *,
    provider: str,
    number: str,
    trade_no: str,
    amount_fen: int | None,
    paid: bool,
    paid_at: dt.datetime | None = None,
    trust_expiry: bool = False,
) -> Outcome:
    """Apply a provider's word that trade ``trade_no`` paid (or did not pay)
    order ``number``. The caller has checked the provider's signature and app.

    ``trust_expiry``: the provider's own query said paid, so the provider
    accepted the payment within the order's time (reconciliation)."""
    now = timezone.now()
    try:
        with transaction.atomic():
            order = Order.objects.select_for_update().filter(number=number).first()
            if order is None:
                log.warning("%s notification: unknown order %r", provider, number)
                return Outcome.REFUSED
            if order.provider != provider:
                log.warning("%s notification for %s order %s", provider, order.provider, number)
                return Outcome.REFUSED
            if amount_fen != order.amount_fen:
                log.warning(
                    "%s notification: order %s amount %s fen, notified %s",
                    provider,
                    number,
                    order.amount_fen,
                    amount_fen,
                )
                return Outcome.REFUSED
            if not trade_no:
                log.warning("%s notification: order %s without a trade number", provider, number)
                return Outcome.REFUSED
            if order.provider_trade_no and order.provider_trade_no != trade_no:
                log.warning(
                    "%s notification: order %s is trade %s, notified %s",
                    provider,
                    number,
                    order.provider_trade_no,
                    trade_no,
                )
                return Outcome.REFUSED
            if not paid:
                return Outcome.IGNORED
            if order.state in (State.CREDITED, State.REFUNDED):
                return Outcome.DUPLICATE
            if order.state == State.FLAGGED:
                return Outcome.FLAGGED
            late = paid_at is not None and paid_at > order.expires_at and not trust_expiry
            if order.state == State.CLOSED or late:
                order.state = State.FLAGGED
                order.provider_trade_no = trade_no
                order.paid_at = paid_at or now
                order.note = "paid after the order was closed or expired: check and decide"
                order.save()
                log.error("%s: order %s paid after closing or expiry: flagged", provider, number)
                return Outcome.FLAGGED
            _credit_locked(order, trade_no, now)
            log.info("%s: order %s credited %d coins", provider, number, order.coins)
            return Outcome.CREDITED
    except IntegrityError:
        # Another transaction credited it (or used this trade) first.
        log.warning("%s notification: order %s already settled (constraint)", provider, number)
        order = Order.objects.filter(number=number).first()
        if order is not None and order.provider_trade_no == trade_no:
            return Outcome.DUPLICATE
        return Outcome.REFUSED


def _shanghai_time(text: str) -> dt.datetime | None:
    """Alipay writes times as Beijing time, "2026-12-04 17:00:00"."""
    try:
        naive = dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    return naive.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def alipay_notification(params: dict[str, str]) -> Outcome:
    """Alipay's asynchronous notification: the one thing that credits an Alipay order."""
    number = params.get("out_trade_no", "")
    if not alipay.verify_notification(params):
        log.warning("alipay notification: bad signature (order %r)", number)
        return Outcome.REFUSED
    s = config.payments_settings()
    if params.get("app_id") != s["ALIPAY_APP_ID"]:
        log.warning("alipay notification: app id %r (order %r)", params.get("app_id"), number)
        return Outcome.REFUSED
    seller = s.get("ALIPAY_SELLER_ID")
    if seller and params.get("seller_id") != seller:
        log.warning("alipay notification: seller %r (order %r)", params.get("seller_id"), number)
        return Outcome.REFUSED
    status = params.get("trade_status", "")
    return settle(
        provider=Provider.ALIPAY,
        number=number,
        trade_no=params.get("trade_no", ""),
        amount_fen=fen_of(params.get("total_amount", "")),
        paid=status in alipay.PAID_STATUSES,
        paid_at=_shanghai_time(params.get("gmt_payment", "")) or timezone.now(),
    )


def wechat_notification(headers: Mapping[str, str], body: str) -> Outcome:
    """WeChat Pay's notification: the one thing that credits a WeChat Pay order."""
    paid = wechat.read_notification(headers, body)
    if paid is None:
        log.warning("wechat notification: bad signature, stale or undecryptable")
        return Outcome.REFUSED
    s = config.payments_settings()
    if paid.appid != s["WECHAT_APPID"] or paid.mchid != s["WECHAT_MCHID"]:
        log.warning("wechat notification: app %r merchant %r", paid.appid, paid.mchid)
        return Outcome.REFUSED
    return settle(
        provider=Provider.WECHAT,
        number=paid.number,
        trade_no=paid.transaction_id,
        amount_fen=paid.total_fen,
        paid=paid.trade_state == "SUCCESS",
        paid_at=paid.success_time or timezone.now(),
    )


def order_credit_flagged(*, order_id: int, by: User) -> Order:
    """An operator's decision, after a look, to credit a flagged order."""
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.state != State.FLAGGED:
            raise PaymentRefused(_("Only a flagged order can be credited by hand."))
        _credit_locked(order, order.provider_trade_no, timezone.now())
        order.note = f"credited by {by.username} after a look"
        order.save(update_fields=["note"])
    return order


@dataclass
class ReconcileResult:
    credited: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _close(order_id: int) -> bool:
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.state != State.CREATED:
            return False
        order.state = State.CLOSED
        order.closed_at = timezone.now()
        order.save()
    return True


def reconcile(*, minutes: int) -> ReconcileResult:
    """Ask the provider about orders still unpaid after ``minutes``: credit the
    paid ones, close the expired ones (at the provider too)."""
    result = ReconcileResult()
    now = timezone.now()
    pending = Order.objects.filter(
        state=State.CREATED, created_at__lte=now - dt.timedelta(minutes=minutes)
    ).order_by("id")
    for order in pending:
        try:
            if order.provider == Provider.ALIPAY:
                trade = alipay.query(order.number)
                paid = trade.exists and trade.status in alipay.PAID_STATUSES
                exists, closed = trade.exists, trade.status == "TRADE_CLOSED"
                trade_no, amount = trade.trade_no, fen_of(trade.total_amount)
            else:
                answer = wechat.query(order.number)
                paid = answer is not None and answer.trade_state == "SUCCESS"
                exists = answer is not None
                closed = answer is not None and answer.trade_state in ("CLOSED", "REVOKED")
                trade_no = answer.transaction_id if answer else ""
                amount = answer.total_fen if answer else None
            if paid:
                outcome = settle(
                    provider=order.provider,
                    number=order.number,
                    trade_no=trade_no,
                    amount_fen=amount,
                    paid=True,
                    trust_expiry=True,
                )
                if outcome is Outcome.CREDITED:
                    result.credited.append(order.number)
                elif outcome is Outcome.FLAGGED:
                    result.flagged.append(order.number)
                else:
                    result.errors.append(f"{order.number}: {outcome.value}")
            elif closed or order.expires_at <= now:
                # Expired: closed at the provider too, unless it has no such trade
                # (the member never opened the payment) or closed it already.
                if exists and not closed:
                    if order.provider == Provider.ALIPAY:
                        alipay.close(order.number)
                    else:
                        wechat.close(order.number)
                if _close(order.pk):
                    result.closed.append(order.number)
            else:
                result.waiting.append(order.number)
        except ProviderError as exc:
            log.warning("reconcile %s: %s", order.number, exc)
            result.errors.append(f"{order.number}: {exc}")
    return result


def order_refund(*, order_id: int, by: User, reason: str) -> Order:
    """Refund a credited order: take its coins back (refused if they were
    spent), then ask the provider to return the money; all or nothing."""
    reason = (reason or "").strip() or "refund"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        if order.state != State.CREDITED:
            raise PaymentRefused(_("Only a credited order can be refunded."))
        try:
            entry = market.coins_grant(
                user=order.member,
                amount=-order.coins,
                reason=f"refund {order.number}: {reason}"[:255],
                by=by,
            )
        except market.MarketRefused as exc:
            raise PaymentRefused(
                _("Refund of %(number)s refused: %(why)s"), number=order.number, why=exc.message
            ) from None
        Refund.objects.create(order=order, entry=entry, created_by=by, reason=reason[:255])
        try:
            if order.provider == Provider.ALIPAY:
                alipay.refund(order.number, config.yuan(order.amount_fen))
            else:
                wechat.refund(order.number, order.amount_fen)
        except ProviderError as exc:
            raise PaymentRefused(
                _("Refund of %(number)s refused by the provider: %(why)s"),
                number=order.number,
                why=str(exc),
            ) from None
        order.state = State.REFUNDED
        order.refunded_at = timezone.now()
        order.save()
    return order
