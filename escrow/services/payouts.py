"""Money out of the platform's balance: transfers to payees and refunds to payers' cards.

``*_send`` is the call step (its intent row was committed with the settlement); ``*_record`` is
the result step, which posts the ledger and tells the world. Both are safe to run again: a sent
row is left alone, and the processor answers a repeated idempotency key with the same object.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import events, gateway
from ..models import Charge, ConnectedAccount, Hold, LedgerAccount, LedgerTransaction, Refund, Transfer
from .ledger import ledger_account, ledger_post

logger = logging.getLogger(__name__)
Kind = LedgerAccount.Kind


def _failed_attempt(model, pk: int, error: gateway.GatewayError, *, status: str | None = None) -> None:
    changes = {"attempts": F("attempts") + 1, "last_error": error.message[:255]}
    if status:
        changes["status"] = status
    model.objects.filter(pk=pk).exclude(status=model.Status.SENT).update(**changes)


def _paid_charge(hold_id: int) -> Charge:
    return Charge.objects.get(hold_id=hold_id, status=Charge.Status.SUCCEEDED)


def transfer_send(transfer_id: int) -> None:
    """Send one intended transfer. A processor that did not answer leaves it intended (the retry
    task repeats it with the same key); a refusal blocks it with the processor's reason."""
    transfer = Transfer.objects.select_related("settlement__hold").get(pk=transfer_id)
    if transfer.status != Transfer.Status.INTENDED:
        return
    hold = transfer.settlement.hold
    account = ConnectedAccount.objects.get(user_id=transfer.destination_user_id)
    try:
        made = gateway.create_transfer(
            amount_minor=transfer.amount_minor,
            currency=transfer.currency,
            destination=account.account_id,
            source_transaction=_paid_charge(hold.pk).charge_id,
            transfer_group=hold.transfer_group,
            metadata={"transfer_id": transfer.pk, "hold_id": hold.pk, "reference": hold.reference},
            idempotency_key=transfer.idempotency_key,
        )
    except gateway.ProcessorUnavailable as error:
        _failed_attempt(Transfer, transfer.pk, error)
        raise
    except gateway.ProcessorRefused as error:
        logger.error("transfer %s refused: %s", transfer.pk, error.message)
        _failed_attempt(Transfer, transfer.pk, error, status=Transfer.Status.BLOCKED)
        return
    transfer_record(transfer_id=transfer.pk, processor_id=made["id"])


@transaction.atomic
def transfer_record(*, transfer_id: int, processor_id: str) -> bool:
    """The result step of a transfer; False when it had been recorded already."""
    # The hold first, then the row: the order every escrow write takes (no deadlocks).
    hold_id = Transfer.objects.filter(pk=transfer_id).values_list("settlement__hold_id", flat=True).get()
    hold = Hold.objects.select_for_update().get(pk=hold_id)
    transfer = Transfer.objects.select_for_update().select_related("settlement").get(pk=transfer_id)
    if transfer.status == Transfer.Status.SENT:
        return False
    transfer.status, transfer.processor_id, transfer.sent_at = (
        Transfer.Status.SENT,
        processor_id,
        timezone.now(),
    )
    transfer.save(update_fields=["status", "processor_id", "sent_at"])
    ledger_post(
        kind=LedgerTransaction.Kind.TRANSFER_OUT,
        currency=transfer.currency,
        lines=[
            (
                ledger_account(
                    Kind.FREELANCER_PAYABLE, transfer.currency, user_id=transfer.destination_user_id
                ),
                -transfer.amount_minor,
            ),
            (ledger_account(Kind.PROCESSOR_CLEARING, transfer.currency), transfer.amount_minor),
        ],
        hold=hold,
        settlement=transfer.settlement,
        external_id=processor_id,
        memo=f"Paid out: {hold.description}"[:255],
    )
    events.release_paid.send(sender=Hold, hold=hold, settlement=transfer.settlement, transfer=transfer)
    return True


def refund_send(refund_id: int) -> None:
    refund = Refund.objects.select_related("settlement__hold").get(pk=refund_id)
    if refund.status != Refund.Status.INTENDED:
        return
    hold = refund.settlement.hold
    try:
        made = gateway.create_refund(
            payment_intent_id=_paid_charge(hold.pk).payment_intent_id,
            amount_minor=refund.amount_minor,
            metadata={"refund_id": refund.pk, "hold_id": hold.pk, "reference": hold.reference},
            idempotency_key=refund.idempotency_key,
        )
    except gateway.ProcessorUnavailable as error:
        _failed_attempt(Refund, refund.pk, error)
        raise
    except gateway.ProcessorRefused as error:
        logger.error("refund %s refused: %s", refund.pk, error.message)
        _failed_attempt(Refund, refund.pk, error, status=Refund.Status.FAILED)
        return
    refund_record(refund_id=refund.pk, processor_id=made["id"])


@transaction.atomic
def refund_record(*, refund_id: int, processor_id: str) -> bool:
    # The hold first, then the row: the order every escrow write takes (no deadlocks).
    hold_id = Refund.objects.filter(pk=refund_id).values_list("settlement__hold_id", flat=True).get()
    hold = Hold.objects.select_for_update().get(pk=hold_id)
    refund = Refund.objects.select_for_update().select_related("settlement").get(pk=refund_id)
    if refund.status == Refund.Status.SENT:
        return False
    refund.status, refund.processor_id, refund.sent_at = Refund.Status.SENT, processor_id, timezone.now()
    refund.save(update_fields=["status", "processor_id", "sent_at"])
    ledger_post(
        kind=LedgerTransaction.Kind.REFUND_OUT,
        currency=refund.currency,
        lines=[
            (
                ledger_account(Kind.REFUNDS_PAYABLE, refund.currency, user_id=hold.payer_id),
                -refund.amount_minor,
            ),
            (ledger_account(Kind.PROCESSOR_CLEARING, refund.currency), refund.amount_minor),
        ],
        hold=hold,
        settlement=refund.settlement,
        external_id=processor_id,
        memo=f"Returned to the card: {hold.description}"[:255],
    )
    events.refund_paid.send(sender=Hold, hold=hold, settlement=refund.settlement, refund=refund)
    return True


def transfers_unblock_for(user_id: int) -> list[int]:
    """Queue the transfers that waited for this payee's payouts; the ids queued."""
    from ..tasks import send_outgoing

    with transaction.atomic():
        ids = list(
            Transfer.objects.select_for_update()
            .filter(destination_user_id=user_id, status=Transfer.Status.BLOCKED)
            .values_list("pk", flat=True)
        )
        Transfer.objects.filter(pk__in=ids).update(status=Transfer.Status.INTENDED, last_error="")
        for transfer_id in ids:
            transaction.on_commit(
                lambda transfer_id=transfer_id: send_outgoing("escrow.transfer_send", transfer_id)
            )
    return ids
