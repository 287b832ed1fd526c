"""Money out of the platform's balance: transfers to payees and refunds to payers' cards.

``*_send`` is the call step (its intent row was committed with the settlement); ``*_record`` is
the result step, which posts the ledger and tells the world. Both are safe to run again: a sent
row is left alone, and the processor answers a repeated idempotency key with the same object.
"""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.task_queue import queue_task_on_commit

from .. import events, gateway, idempotency, locks
from ..models import Charge, ConnectedAccount, Hold, LedgerAccount, LedgerTransaction, Refund, Transfer
from .ledger import Account, ledger_post
from .outgoing_retry import outgoing_refused, transfer_paused
from .replays import made_once

logger = logging.getLogger(__name__)
Kind = LedgerAccount.Kind


def _failed_attempt(model, pk: int, error: gateway.GatewayError, *, status: str | None = None) -> None:
    changes = {"attempts": F("attempts") + 1, "last_error": error.message[:255]}
    if status:
        changes["status"] = status
    model.objects.filter(pk=pk).exclude(status=model.Status.SENT).update(**changes)


def _paid_charge(hold_id: int) -> Charge:
    return Charge.objects.get(hold_id=hold_id, status=Charge.Status.SUCCEEDED)


def _send(model, row_id: int, call, find, *, refused_status: str) -> None:
    """The call step of a transfer or refund: ``call(row, hold, key)`` makes the processor's object
    (``find(row, hold, key)`` looks it up after a 500: ``replays``). A processor that did not answer
    leaves the row intended (the retry task repeats the call, with the same key unless the answer
    was a 500); a refusal sets ``refused_status`` with the processor's reason and the time of the
    next attempt, or "stuck" after the last one (``outgoing_refused``)."""
    row = model.objects.select_related("settlement__hold").get(pk=row_id)
    if row.status != model.Status.INTENDED:
        return
    hold = row.settlement.hold
    try:
        made = made_once(row, create=lambda key: call(row, hold, key), find=lambda key: find(row, hold, key))
    except gateway.ProcessorUnavailable as error:
        _failed_attempt(model, row.pk, error)
        raise
    except gateway.ProcessorRefused as error:
        logger.error("%s %s refused: %s", model.__name__, row.pk, error.message)
        outgoing_refused(model, row.pk, error.message, waiting_status=refused_status)
        return
    _record(model, row.pk, made.id)


def _record(model, row_id: int, processor_id: str) -> bool:
    """The result step: the row is sent, the money leaves its payable account through the
    processor, and the world is told. False when it had been recorded already."""
    with transaction.atomic():
        # The hold, then the row, then the ledger: the order every escrow write takes (no deadlocks).
        hold, row = locks.lock_outgoing(model, row_id)
        if row.status == model.Status.SENT:
            return False
        row.status, row.processor_id, row.sent_at = model.Status.SENT, processor_id, timezone.now()
        row.save(update_fields=["status", "processor_id", "sent_at"])
        if model is Transfer:
            kind, payable, memo = LedgerTransaction.Kind.TRANSFER_OUT, Kind.FREELANCER_PAYABLE, "Paid out"
            owner_id = row.destination_user_id
        else:
            kind, payable, memo = (
                LedgerTransaction.Kind.REFUND_OUT,
                Kind.REFUNDS_PAYABLE,
                "Returned to the card",
            )
            owner_id = hold.payer_id
        ledger_post(
            kind=kind,
            currency=row.currency,
            lines=[
                (Account(payable, row.currency, user_id=owner_id), -row.amount_minor),
                (Account(Kind.PROCESSOR_CLEARING, row.currency), row.amount_minor),
            ],
            hold=hold,
            settlement=row.settlement,
            external_id=processor_id,
            memo=f"{memo}: {hold.description}"[:255],
        )
        if model is Transfer:
            events.release_paid.send(sender=Hold, hold=hold, settlement=row.settlement, transfer=row)
        else:
            events.refund_paid.send(sender=Hold, hold=hold, settlement=row.settlement, refund=row)
    return True


def _create_transfer(transfer: Transfer, hold: Hold, key: str) -> gateway.Created:
    account = ConnectedAccount.objects.get(user_id=transfer.destination_user_id)
    return gateway.create_transfer(
        amount_minor=transfer.amount_minor,
        currency=transfer.currency,
        destination=account.account_id,
        source_transaction=_paid_charge(hold.pk).charge_id,
        transfer_group=hold.transfer_group,
        metadata={"transfer_id": transfer.pk, "hold_id": hold.pk, "reference": hold.reference},
        idempotency_key=key,
    )


def _find_transfer(transfer: Transfer, hold: Hold, key: str) -> gateway.Created | None:
    return gateway.find_transfer(transfer_group=hold.transfer_group, idempotency_key=key)


def _create_refund(refund: Refund, hold: Hold, key: str) -> gateway.Created:
    return gateway.create_refund(
        payment_intent_id=_paid_charge(hold.pk).payment_intent_id,
        amount_minor=refund.amount_minor,
        metadata={"refund_id": refund.pk, "hold_id": hold.pk, "reference": hold.reference},
        idempotency_key=key,
    )


def _find_refund(refund: Refund, hold: Hold, key: str) -> gateway.Created | None:
    return gateway.find_refund(payment_intent_id=_paid_charge(hold.pk).payment_intent_id, idempotency_key=key)


def transfer_send(transfer_id: int) -> None:
    """Send an intended transfer; refused by the processor, it waits (blocked) with the reason.
    To an account whose payout details changed lately, it waits (blocked) for the pause's end."""
    if transfer_paused(transfer_id):
        return
    _send(Transfer, transfer_id, _create_transfer, _find_transfer, refused_status=Transfer.Status.BLOCKED)


def refund_send(refund_id: int) -> None:
    _send(Refund, refund_id, _create_refund, _find_refund, refused_status=Refund.Status.FAILED)


def transfer_record(*, transfer_id: int, processor_id: str) -> bool:
    """The result step of a transfer (also from ``transfer.created``); False if recorded already.
    A blocked row is recorded too: the processor's word that the transfer exists is final."""
    return _record(Transfer, transfer_id, processor_id)


def refund_record(*, refund_id: int, processor_id: str) -> bool:
    return _record(Refund, refund_id, processor_id)


def transfers_unblock_for(user_id: int) -> list[int]:
    """Queue the transfers that waited for this payee's payouts and whose wait is over (a refused
    one waits for its next attempt, any waits while the payee's payout details are paused); the
    ids queued."""
    now = timezone.now()
    paused = ConnectedAccount.objects.filter(user_id=user_id, payouts_paused_until__gt=now).exists()
    with transaction.atomic():
        # Transfers alone (no hold after them): the sweep changes only their own state.
        rows = locks.lock_transfers(destination_user_id=user_id, status=Transfer.Status.BLOCKED)
        rows = [row for row in rows if not paused and (row.next_attempt_at or now) <= now]
        ids = [row.pk for row in rows]
        for row in rows:
            if row.last_error:
                # Refused before: the processor replays a refusal for the same key, so the next
                # attempt is a new request with a key of its own.
                key = idempotency.transfer_key(row.settlement_id, row.attempts)
                Transfer.objects.filter(pk=row.pk).update(idempotency_key=key)
        Transfer.objects.filter(pk__in=ids).update(
            status=Transfer.Status.INTENDED, last_error="", next_attempt_at=None
        )
        for transfer_id in ids:
            queue_task_on_commit("escrow.transfer_send", transfer_id)
    return ids
