"""Processor events: verified, stored once by id, processed by a task, harmless to replay.

An event is a hint that something changed; processing reads the object's current state from the
processor (or records a result we were waiting for), so replays and out-of-order delivery end in
the same state. Types we do not use are stored and marked processed.
"""

import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.exceptions import InvalidInput, NotFound
from marketplace.core.task_queue import queue_task_on_commit

from .. import gateway
from ..models import Refund, WebhookEvent
from .chargebacks import chargeback_sync
from .charges import charge_sync
from .connect import connected_account_sync
from .payouts import refund_record
from .recovery import payment_unmatched, refund_bounced, transfer_created

logger = logging.getLogger(__name__)


def webhook_receive(*, payload: bytes, signature: str) -> tuple[WebhookEvent, bool]:
    """Verify and store an event; (the row, whether it is new). Processing is queued."""
    try:
        event = gateway.parse_webhook(payload, signature)
    except gateway.BadSignature as error:
        raise InvalidInput("The webhook's signature does not verify.", code="bad_signature") from error
    except gateway.NotAnEvent as error:
        raise InvalidInput(f"The webhook is not an event: {error}", code="invalid_event") from error
    try:
        with transaction.atomic():
            row = WebhookEvent.objects.create(event_id=event.id, type=event.type, payload=event.payload)
            # A failure to queue it is logged; ``escrow.retry_intents`` processes it later.
            queue_task_on_commit("escrow.webhook_process", row.pk)
    except IntegrityError:
        return WebhookEvent.objects.get(event_id=event.id), False
    return row, True


def _payment_intent(obj: gateway.EventObject) -> None:
    try:
        charge_sync(payment_intent_id=obj.id, hold_id=obj.metadata.get("hold_id"))
    except NotFound:  # a payment of another integration on the same processor account
        logger.info("payment intent %s is not one of ours", obj.id)


def _payment_succeeded(obj: gateway.EventObject) -> None:
    """Money arrived: for a payment no charge of ours asked for, a discrepancy staff see."""
    try:
        charge_sync(payment_intent_id=obj.id, hold_id=obj.metadata.get("hold_id"))
    except NotFound:
        payment_unmatched(obj)


def _outgoing(model, record, obj: gateway.EventObject, id_key: str) -> None:
    row_id = obj.metadata.get(id_key, "")
    if row_id.isdigit() and model.objects.filter(pk=int(row_id)).exists():
        record(**{f"{model.__name__.lower()}_id": int(row_id), "processor_id": obj.id})


def _refund_of(obj: gateway.EventObject) -> None:
    if obj.status in ("failed", "canceled"):
        # Not money returned: never booked as sent; one booked already is owed again and retried.
        if not refund_bounced(obj):
            logger.error("refund %s is %s at the processor", obj.id, obj.status)
        return
    _outgoing(Refund, refund_record, obj, "refund_id")


# Every step of a dispute reads it back from the processor: the same handler for each.
CHARGEBACK_EVENTS = (
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
    "charge.dispute.closed",
)

HANDLERS = {
    "payment_intent.succeeded": _payment_succeeded,
    "payment_intent.payment_failed": _payment_intent,
    "payment_intent.canceled": _payment_intent,
    "account.updated": lambda obj: connected_account_sync(account_id=obj.id),
    "transfer.created": transfer_created,
    "refund.created": _refund_of,
    "refund.updated": _refund_of,
    **dict.fromkeys(CHARGEBACK_EVENTS, lambda obj: chargeback_sync(dispute_id=obj.id)),
}


def webhook_process(*, row_id: int) -> None:
    row = WebhookEvent.objects.get(pk=row_id)
    if row.processed_at is not None:
        return
    handler = HANDLERS.get(row.type)
    try:
        if handler is not None:
            handler(gateway.event_from_payload(row.payload).object)
    except Exception as error:
        WebhookEvent.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1, last_error=str(error)[:255])
        raise
    WebhookEvent.objects.filter(pk=row.pk, processed_at__isnull=True).update(
        processed_at=timezone.now(), attempts=F("attempts") + 1
    )
