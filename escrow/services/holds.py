"""The money primitives: create, fund, release, refund, split, freeze a hold.

Callers (the marketplace) decide *who* may do these; escrow checks only that the money allows
it. Each runs in one transaction that locks the hold first, writes the settlement, its ledger
transaction and the intent of the processor call (a transfer or a refund), and queues that call
for after the commit: no processor call ever runs inside a database transaction.

Every amount a primitive takes is ``Money`` (an amount, a fee, a part to release or refund), in
the hold's currency: anything else is refused (``amount_not_money``, ``currency_mismatch``)
before a row is locked. Inside, the arithmetic is on integer minor units, as the rows keep them.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.core.money import Money
from marketplace.core.task_queue import queue_task_on_commit
from marketplace.core.transitions import transition

from .. import events, fees, idempotency, locks
from ..models import (
    Charge,
    ConnectedAccount,
    Hold,
    LedgerAccount,
    LedgerTransaction,
    Refund,
    Settlement,
    Transfer,
)
from .ledger import Account, hold_accounts, ledger_accounts_make, ledger_post

Kind = LedgerAccount.Kind


def _require_money(amount, currency: str | None, field: str) -> int:
    """The minor units of ``amount``, once it is ``Money`` in ``currency`` (any, if None)."""
    if not isinstance(amount, Money):
        raise InvalidInput(
            "An amount must be Money: whole minor units and a currency.",
            code="amount_not_money",
            fields={field: ["Must be an amount of money."]},
        )
    if currency is not None and amount.currency != currency:
        raise InvalidInput(
            f"This is in {currency}; an amount in {amount.currency} cannot be part of it.",
            code="currency_mismatch",
            fields={field: [f"Must be in {currency}."]},
        )
    return amount.amount_minor


def _require_positive(amount, currency: str | None, field: str = "amount") -> int:
    minor = _require_money(amount, currency, field)
    if minor <= 0:
        raise InvalidInput(
            "An amount must be a whole, positive number of minor units.",
            code="amount_not_positive",
            fields={field: ["Must be greater than zero."]},
        )
    return minor


def _fee_or_default(fee: Money | None, amount: Money, bp: int, field: str) -> int:
    if fee is None:
        return fees.fee_minor(amount.amount_minor, bp)
    minor = _require_money(fee, amount.currency, field)
    if minor < 0:
        raise InvalidInput(
            "A fee is never negative.", code="fee_negative", fields={field: ["Must be zero or more."]}
        )
    return minor


@transaction.atomic
def hold_create(
    *,
    payer,
    payee,
    amount: Money,
    client_fee_bp: int,
    freelancer_fee_bp: int,
    reference: str,
    transfer_group: str,
    description: str = "",
    client_fee: Money | None = None,
    freelancer_fee: Money | None = None,
) -> Hold:
    """A pending hold (nothing charged yet). The same reference gives back the same hold.

    The fees default to the basis points on the amount; a part of a larger payment (a milestone of
    a contract) passes its share of the whole's fees instead (``Money`` in the amount's currency),
    so the parts add up to the whole."""
    _require_positive(amount, None)
    client_fee_minor = _fee_or_default(client_fee, amount, client_fee_bp, "client_fee")
    freelancer_fee_minor = _fee_or_default(freelancer_fee, amount, freelancer_fee_bp, "freelancer_fee")
    if amount.currency not in settings.CURRENCIES:
        raise InvalidInput(
            f"{amount.currency} is not a currency this platform takes.", code="currency_unsupported"
        )
    if payer.pk == payee.pk:
        raise InvalidInput("A payer cannot hold money for themselves.", code="same_party")
    hold, created = Hold.objects.get_or_create(
        reference=reference,
        defaults={
            "payer": payer,
            "payee": payee,
            "currency": amount.currency,
            "amount_minor": amount.amount_minor,
            "client_fee_bp": client_fee_bp,
            "freelancer_fee_bp": freelancer_fee_bp,
            "client_fee_minor": client_fee_minor,
            "freelancer_fee_minor": freelancer_fee_minor,
            "transfer_group": transfer_group,
            "description": description[:255],
        },
    )
    if not created and (hold.amount != amount or hold.payer_id != payer.pk or hold.payee_id != payee.pk):
        raise Conflict("A hold with this reference exists with other terms.", code="hold_reference_taken")
    if created:  # the accounts its postings name, so that they find them
        ledger_accounts_make(hold_accounts(hold))
    return hold


def hold_fund(*, hold: Hold, charge: Charge) -> None:
    """Record a paid charge as the hold's funding, in the caller's transaction (the result step of
    the charge, which has locked the hold and the charge already; they are locked again here, in
    the order, so that holds whoever calls: a lock the transaction holds waits for nothing)."""
    locked = locks.lock_hold(hold)
    if locked.status != Hold.Status.PENDING:
        raise Conflict("This hold is funded already.", code="already_funded")
    if charge.hold_id != locked.pk:  # checked before its lock: that would lock another hold
        raise Conflict("The charge pays for another hold.", code="charge_of_another_hold")
    charge = locks.lock_charge_of(locked, charge)
    if charge.status != Charge.Status.SUCCEEDED:
        raise Conflict("The charge has not been paid.", code="charge_not_paid")
    if charge.amount_minor != locked.charge_amount_minor or charge.currency != locked.currency:
        raise Conflict("The charge does not match the hold it funds.", code="amount_mismatch")
    ledger_post(
        kind=LedgerTransaction.Kind.FUND,
        currency=locked.currency,
        lines=[
            (Account(Kind.CLIENT_FUNDING, locked.currency, user_id=locked.payer_id), -charge.amount_minor),
            (Account(Kind.ESCROW_HELD, locked.currency, hold_id=locked.pk), charge.amount_minor),
        ],
        hold=locked,
        external_id=charge.payment_intent_id,
        memo=locked.description,
    )
    transition(
        locked,
        Hold.Status.FUNDED,
        reason=f"Paid by {charge.payment_intent_id}",
        row_locked=True,
        funded_at=timezone.now(),
    )
    hold.status, hold.funded_at = locked.status, locked.funded_at
    events.hold_funded.send(sender=Hold, hold=locked, charge=charge)


def settled_so_far(hold: Hold) -> tuple[int, int]:
    """(principal released, principal refunded) of a hold."""
    totals = hold.settlements.aggregate(
        released=Sum("principal_minor", filter=Q(kind=Settlement.Kind.RELEASE)),
        refunded=Sum("principal_minor", filter=Q(kind=Settlement.Kind.REFUND)),
    )
    return totals["released"] or 0, totals["refunded"] or 0


def _locked_for_settling(hold: Hold) -> Hold:
    locked = locks.lock_hold(hold)
    if locked.status == Hold.Status.FROZEN:
        raise Conflict("This money is frozen while a dispute is open.", code="hold_frozen")
    if locked.status != Hold.Status.FUNDED:
        raise Conflict("This hold holds no money to settle.", code="nothing_held")
    return locked


def _settle(
    hold: Hold, kind: str, principal: int, settled: tuple[int, int], *, actor, reason: str
) -> Settlement:
    """``settled``: (released, refunded) before this part, read under the hold's lock."""
    released, refunded = settled
    remaining = hold.amount_minor - released - refunded
    if principal > remaining:
        raise Conflict(
            f"Only {Money(remaining, hold.currency)} is held; "
            f"{Money(principal, hold.currency)} cannot be settled.",
            code="exceeds_held",
            fields={"amount": [f"At most {Money(remaining, hold.currency)}."]},
        )
    client_fee = fees.fee_share(
        hold.client_fee_minor, hold.amount_minor, principal, before_minor=released + refunded
    )
    freelancer_fee = (
        fees.fee_share(hold.freelancer_fee_minor, hold.amount_minor, principal, before_minor=released)
        if kind == Settlement.Kind.RELEASE
        else 0
    )
    settlement = Settlement.objects.create(
        hold=hold,
        kind=kind,
        principal_minor=principal,
        client_fee_minor=client_fee,
        freelancer_fee_minor=freelancer_fee,
        created_by=actor if getattr(actor, "pk", None) else None,
        reason=reason[:255],
    )
    currency = hold.currency
    held = Account(Kind.ESCROW_HELD, currency, hold_id=hold.pk)
    if kind == Settlement.Kind.RELEASE:
        lines = [
            (held, -(principal + client_fee)),
            (Account(Kind.FREELANCER_PAYABLE, currency, user_id=hold.payee_id), principal - freelancer_fee),
            (Account(Kind.PLATFORM_REVENUE, currency), client_fee + freelancer_fee),
        ]
    else:
        lines = [
            (held, -(principal + client_fee)),
            (Account(Kind.REFUNDS_PAYABLE, currency, user_id=hold.payer_id), principal + client_fee),
        ]
    ledger_post(kind=kind, currency=hold.currency, lines=lines, hold=hold, settlement=settlement, memo=reason)
    if principal == remaining:
        transition(
            hold, Hold.Status.SETTLED, actor=actor, reason=reason, row_locked=True, settled_at=timezone.now()
        )
    audit_record(
        actor=actor,
        action=f"escrow.{kind}",
        target=hold,
        summary=f"{settlement.get_kind_display()} of {Money(principal, hold.currency)} from {hold.reference}",
        principal_minor=principal,
        client_fee_minor=client_fee,
        freelancer_fee_minor=freelancer_fee,
    )
    return settlement


def _queue_transfer(hold: Hold, settlement: Settlement) -> Transfer | None:
    if settlement.payee_amount_minor == 0:
        return None  # a sliver whose fee share is all of it: nothing to send
    account = ConnectedAccount.objects.filter(user_id=hold.payee_id).first()
    ready = account is not None and account.can_receive
    transfer = Transfer.objects.create(
        settlement=settlement,
        destination_user_id=hold.payee_id,
        amount_minor=settlement.payee_amount_minor,
        currency=hold.currency,
        idempotency_key=idempotency.transfer_key(settlement.pk),
        status=Transfer.Status.INTENDED if ready else Transfer.Status.BLOCKED,
    )
    if ready:
        queue_task_on_commit("escrow.transfer_send", transfer.pk)
    else:
        events.release_blocked.send(sender=Hold, hold=hold, settlement=settlement, transfer=transfer)
    return transfer


def _queue_refund(settlement: Settlement) -> Refund:
    refund = Refund.objects.create(
        settlement=settlement,
        amount_minor=settlement.payee_amount_minor,
        currency=settlement.hold.currency,
        idempotency_key=idempotency.refund_key(settlement.pk),
    )
    queue_task_on_commit("escrow.refund_send", refund.pk)
    return refund


def _settle_part(hold: Hold, kind: str, amount: Money | None, *, acting_user, reason: str) -> Settlement:
    part = None if amount is None else _require_positive(amount, hold.currency)
    locked = _locked_for_settling(hold)
    settled = settled_so_far(locked)
    principal = part if part is not None else locked.amount_minor - sum(settled)
    settlement = _settle(locked, kind, principal, settled, actor=acting_user, reason=reason)
    if kind == Settlement.Kind.RELEASE:
        _queue_transfer(locked, settlement)
    else:
        _queue_refund(settlement)
    hold.status = locked.status
    return settlement


@transaction.atomic
def hold_release(
    *, hold: Hold, amount: Money | None = None, acting_user=None, reason: str = ""
) -> Settlement:
    """Release part (or, by default, all that is left) of a hold to its payee."""
    return _settle_part(
        hold, Settlement.Kind.RELEASE, amount, acting_user=acting_user, reason=reason or "Released"
    )


@transaction.atomic
def hold_refund(*, hold: Hold, amount: Money | None = None, acting_user=None, reason: str = "") -> Settlement:
    """Refund part (or, by default, all that is left) of a hold to its payer, with its client fee."""
    return _settle_part(
        hold, Settlement.Kind.REFUND, amount, acting_user=acting_user, reason=reason or "Refunded"
    )


@transaction.atomic
def hold_split(
    *, hold: Hold, release: Money, refund: Money, acting_user=None, reason: str = ""
) -> tuple[Settlement, Settlement]:
    """Release one part and refund another, together, in one transaction."""
    release_minor = _require_positive(release, hold.currency, "release")
    refund_minor = _require_positive(refund, hold.currency, "refund")
    locked = _locked_for_settling(hold)
    # Two postings: their guarded accounts are locked together first, in the one order.
    locks.lock_ledger_accounts(account.key for account in hold_accounts(locked) if account.guarded)
    released_before, refunded_before = settled_so_far(locked)
    if release_minor + refund_minor > locked.amount_minor - released_before - refunded_before:
        raise Conflict("The parts add up to more than is held.", code="exceeds_held")
    released = _settle(
        locked,
        Settlement.Kind.RELEASE,
        release_minor,
        (released_before, refunded_before),
        actor=acting_user,
        reason=reason or "Split",
    )
    refunded = _settle(
        locked,
        Settlement.Kind.REFUND,
        refund_minor,
        (released_before + release_minor, refunded_before),
        actor=acting_user,
        reason=reason or "Split",
    )
    _queue_transfer(locked, released)
    _queue_refund(refunded)
    hold.status = locked.status
    return released, refunded


def hold_charged_back(*, hold: Hold, up_to_minor: int, reason: str) -> Settlement | None:
    """Record that the card network returned up to ``up_to_minor`` of what the hold holds to the
    payer (a lost chargeback), in the caller's transaction, with the hold locked (frozen or not):
    a refund settlement of the largest part whose share of the client fee fits, booked to the
    payer's refunds payable like any refund, but with no refund to send (the caller books its
    return). None when nothing of the hold fits."""
    if hold.status not in (Hold.Status.FUNDED, Hold.Status.FROZEN):
        return None
    settled = settled_so_far(hold)
    before = sum(settled)

    def returned(part: int) -> int:
        return part + fees.fee_share(hold.client_fee_minor, hold.amount_minor, part, before_minor=before)

    low, high = 0, hold.amount_minor - before  # the largest part with returned(part) <= up_to_minor
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if returned(middle) <= up_to_minor else (low, middle - 1)
    if low == 0:
        return None
    return _settle(hold, Settlement.Kind.REFUND, low, settled, actor=None, reason=reason)


@transaction.atomic
def hold_freeze(*, hold: Hold, acting_user=None, reason: str) -> Hold:
    """Stop every release and refund of the hold until it is unfrozen (disputes use this).

    Only money still held can be frozen. The hold is locked first, so a freeze that arrives while a
    release or refund is still open waits for it and then sees what it left: a hold settled by it
    is refused (409 ``nothing_held``), never turned into "frozen" with its money gone."""
    locked = locks.lock_hold(hold)
    if locked.status == Hold.Status.FROZEN:
        raise Conflict("This hold is frozen already.", code="already_frozen")
    if locked.status != Hold.Status.FUNDED:
        raise Conflict("This hold holds no money to freeze.", code="nothing_held")
    return transition(hold, Hold.Status.FROZEN, actor=acting_user, reason=reason)


@transaction.atomic
def hold_unfreeze(*, hold: Hold, acting_user=None, reason: str) -> Hold:
    # Only from frozen: "funded" is also where a pending hold goes, and only a paid charge may send it.
    if locks.lock_hold(hold).status != Hold.Status.FROZEN:
        raise Conflict("This hold is not frozen.", code="not_frozen")
    return transition(hold, Hold.Status.FUNDED, actor=acting_user, reason=reason)
