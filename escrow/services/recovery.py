"""What the processor reports that escrow must check before believing it, and the states it is
left in when it cannot be applied (the audit's recovery gaps):

- ``transfer_created``: a transfer is recorded as ours only when its amount, currency, destination
  and transfer group match our row as the processor has it now; otherwise (or when our row was paid
  by another transfer already) a ``ProcessorDiscrepancy`` is recorded and nothing is applied.
- ``payment_unmatched``: a succeeded payment no charge of ours asked for is recorded, not dropped.
- ``refund_bounced``: a refund booked as returned that the processor then failed is owed to the
  payer again (a ``refund_failed`` posting back into ``refunds_payable``) and is retried like a
  refused one (``outgoing_retry``).
- ``charge_recheck``: an open charge is read every minute on its first day, then with a growing
  wait, until the processor says it is final.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.core.exceptions import NotFound

from .. import gateway, locks
from ..models import (
    Charge,
    ConnectedAccount,
    LedgerAccount,
    LedgerTransaction,
    ProcessorDiscrepancy,
    Refund,
    Transfer,
)
from .charges import charge_sync
from .ledger import Account, ledger_post
from .outgoing_retry import outgoing_refused
from .payouts import transfer_record

logger = logging.getLogger(__name__)
Finding = ProcessorDiscrepancy.Kind
Kind = LedgerAccount.Kind


def _discrepancy(kind: str, processor_id: str, detail: str, *, amount_minor=0, currency="") -> None:
    _, made = ProcessorDiscrepancy.objects.get_or_create(
        kind=kind,
        processor_id=processor_id,
        defaults={"detail": detail[:255], "amount_minor": amount_minor, "currency": currency},
    )
    if made:
        logger.error("processor discrepancy (%s) %s: %s", kind, processor_id, detail)


def _transfer_differences(transfer: Transfer, seen: gateway.TransferState) -> list[str]:
    hold = transfer.settlement.hold
    destination = (
        ConnectedAccount.objects.filter(user_id=transfer.destination_user_id)
        .values_list("account_id", flat=True)
        .first()
    )
    differences = []
    if (seen.amount_minor, seen.currency) != (transfer.amount_minor, transfer.currency):
        differences.append(
            f"amount {transfer.amount_minor} {transfer.currency} here, "
            f"{seen.amount_minor} {seen.currency} at the processor"
        )
    if seen.destination != destination:
        differences.append(f"destination {destination or 'none'} here, {seen.destination} there")
    if seen.transfer_group != hold.transfer_group:
        differences.append(f"group {hold.transfer_group} here, {seen.transfer_group or 'none'} there")
    if transfer.status == Transfer.Status.SENT and transfer.processor_id != seen.id:
        differences.append(f"our row was paid by {transfer.processor_id} already")
    return differences


def transfer_created(obj: gateway.EventObject) -> bool:
    """``transfer.created``: record the transfer as ours if it is; True when recorded now."""
    row_id = obj.metadata.get("transfer_id", "")
    transfer = (
        Transfer.objects.select_related("settlement__hold").filter(pk=int(row_id)).first()
        if row_id.isdigit()
        else None
    )
    if transfer is None:
        return False
    seen = gateway.retrieve_transfer(obj.id)
    differences = _transfer_differences(transfer, seen)
    if differences:
        detail = f"Transfer {seen.id} names our transfer {transfer.pk} but: " + "; ".join(differences)
        _discrepancy(
            Finding.TRANSFER_MISMATCH,
            seen.id,
            detail,
            amount_minor=seen.amount_minor,
            currency=seen.currency,
        )
        return False
    return transfer_record(transfer_id=transfer.pk, processor_id=seen.id)


def payment_unmatched(obj: gateway.EventObject) -> None:
    """A ``payment_intent.succeeded`` for which no charge of ours exists: recorded for staff and the
    reconciliation report (the money is on the platform's balance and belongs to nobody we know)."""
    intent = gateway.retrieve_payment_intent(obj.id)
    if not intent.succeeded:
        return
    hint = ", ".join(f"{key}={value}" for key, value in sorted(obj.metadata.items())) or "no metadata"
    _discrepancy(
        Finding.UNMATCHED_PAYMENT,
        intent.id,
        f"A payment of {intent.amount_minor} {intent.currency} that no charge of ours asked for ({hint})",
        amount_minor=intent.amount_minor,
        currency=intent.currency,
    )


def refund_bounced(obj: gateway.EventObject) -> bool:
    """A refund we recorded as returned that the processor says failed: the money is owed to the
    payer again, and the refund waits for its next attempt. True when booked back now."""
    row_id = obj.metadata.get("refund_id", "")
    if not row_id.isdigit() or not Refund.objects.filter(pk=int(row_id), processor_id=obj.id).exists():
        return False
    seen = gateway.retrieve_refund(obj.id)
    if seen.status not in ("failed", "canceled"):
        return False
    with transaction.atomic():
        hold, row = locks.lock_refund(int(row_id))
        if row.status != Refund.Status.SENT or row.processor_id != obj.id:
            return False
        ledger_post(
            kind=LedgerTransaction.Kind.REFUND_FAILED,
            currency=row.currency,
            lines=[
                (Account(Kind.PROCESSOR_CLEARING, row.currency), -row.amount_minor),
                (Account(Kind.REFUNDS_PAYABLE, row.currency, user_id=hold.payer_id), row.amount_minor),
            ],
            hold=hold,
            settlement=row.settlement,
            external_id=obj.id,
            memo=f"Refund bounced back ({seen.failure_reason or seen.status}): {hold.description}"[:255],
        )
        Refund.objects.filter(pk=row.pk).update(status=Refund.Status.INTENDED, sent_at=None)
        reason = f"The card refused the refund ({seen.failure_reason or seen.status})"
        outgoing_refused(Refund, row.pk, reason, waiting_status=Refund.Status.FAILED)
    return True


def _longest_wait() -> timedelta:
    return timedelta(seconds=settings.CHARGE_RECHECK_MAX_SECONDS)


def _recheck_wait(age: timedelta) -> timedelta:
    """An eighth of the charge's age: an hour at least, CHARGE_RECHECK_MAX_SECONDS at most."""
    return min(max(age / 8, timedelta(hours=1)), _longest_wait())


def charge_recheck(charge: Charge, *, now=None) -> Charge:
    """Read an open charge again (the card form was left, or its answer and the webhook were lost).
    Still open after its first day: read again later, the wait growing with its age, until the
    processor says the payment is final (succeeded, or canceled)."""
    now = now or timezone.now()
    try:
        synced = charge_sync(payment_intent_id=charge.payment_intent_id)
    except NotFound:
        logger.error("open charge %s: its payment is unknown to the processor", charge.pk)
        _recheck_later(charge, now, _longest_wait())
        return charge
    if synced.status != Charge.Status.OPEN or now - charge.created_at < timedelta(days=1):
        return synced  # on its first day, the sweep reads an open charge every minute
    if gateway.retrieve_payment_intent(charge.payment_intent_id).status == "canceled":
        # Nothing can pay it any more; until the charge row can say so, it is only looked at daily.
        _recheck_later(charge, now, _longest_wait())
    else:
        _recheck_later(charge, now, _recheck_wait(now - charge.created_at))
    return synced


def _recheck_later(charge: Charge, now, wait: timedelta) -> None:
    Charge.objects.filter(pk=charge.pk, status=Charge.Status.OPEN).update(next_sync_at=now + wait)
