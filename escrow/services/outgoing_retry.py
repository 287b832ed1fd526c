"""Bounded retries of refused transfers and refunds, and the payout pause.

A refusal is not retried under the same idempotency key (the processor replays the refusal), so
each new attempt is a new request with a key of its own, after a wait that doubles from
PAYOUT_RETRY_BACKOFF_SECONDS. A transfer's account is read again from the processor before its
next attempt (``escrow.services.connect.transfers_retry_for``). After PAYOUT_RETRY_MAX_ATTEMPTS
the row is "stuck": nothing more is tried, staff see it on /ops/ with the processor's reason, and
both parties are told. The money stays in its payable account (``freelancer_payable`` or
``refunds_payable``) the whole time: it is owed until it goes out.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.task_queue import queue_task_on_commit

from .. import events, idempotency
from ..models import ConnectedAccount, Hold, Refund, Transfer

logger = logging.getLogger(__name__)


def retry_wait(attempts: int) -> timedelta:
    """The wait before attempt ``attempts + 1``: the backoff doubling with each refusal."""
    return timedelta(seconds=settings.PAYOUT_RETRY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def outgoing_refused(model, pk: int, reason: str, *, waiting_status: str) -> str:
    """Count a refusal of a transfer or refund: it waits (``waiting_status``) for its next attempt,
    or is stuck after the last. The status it is left in."""
    with transaction.atomic():
        rows = model.objects.filter(pk=pk).exclude(status__in=[model.Status.SENT, model.Status.STUCK])
        if not rows.update(attempts=F("attempts") + 1, last_error=reason[:255]):
            return model.objects.get(pk=pk).status
        row = model.objects.select_related("settlement__hold").get(pk=pk)
        if row.attempts >= settings.PAYOUT_RETRY_MAX_ATTEMPTS:
            model.objects.filter(pk=pk).update(status=model.Status.STUCK, next_attempt_at=None)
            row.status = model.Status.STUCK
            logger.error("%s %s is stuck after %s attempts: %s", model.__name__, pk, row.attempts, reason)
            hold, settlement = row.settlement.hold, row.settlement
            events.payout_stuck.send(sender=Hold, hold=hold, settlement=settlement, row=row)
            return row.status
        model.objects.filter(pk=pk).update(
            status=waiting_status, next_attempt_at=timezone.now() + retry_wait(row.attempts)
        )
    return waiting_status


def refunds_retry_due(now=None) -> list[int]:
    """Queue again the refused refunds whose wait is over, each under a key of its own; the ids.
    Each row is claimed by a conditional update (a sweep running twice claims it once)."""
    now = now or timezone.now()
    ids = []
    due = Refund.objects.filter(status=Refund.Status.FAILED, next_attempt_at__lte=now)
    for pk, settlement_id, attempts in due.order_by("pk").values_list("pk", "settlement_id", "attempts"):
        claimed = Refund.objects.filter(pk=pk, status=Refund.Status.FAILED, attempts=attempts).update(
            idempotency_key=idempotency.refund_key(settlement_id, attempts),
            status=Refund.Status.INTENDED,
            next_attempt_at=None,
        )
        if claimed:
            queue_task_on_commit("escrow.refund_send", pk)
            ids.append(pk)
    return ids


def transfer_paused(transfer_id: int) -> bool:
    """Hold back an intended transfer while its payee's payout details are paused (blocked until
    the pause ends; the unblocking sweep sends it then). True when it was held back."""
    transfer = Transfer.objects.select_related("settlement__hold").get(pk=transfer_id)
    until = (
        ConnectedAccount.objects.filter(user_id=transfer.destination_user_id)
        .values_list("payouts_paused_until", flat=True)
        .first()
    )
    if transfer.status != Transfer.Status.INTENDED or until is None or until <= timezone.now():
        return False
    held = Transfer.objects.filter(pk=transfer.pk, status=Transfer.Status.INTENDED).update(
        status=Transfer.Status.BLOCKED, next_attempt_at=until
    )
    if held:
        hold = transfer.settlement.hold
        events.release_paused.send(
            sender=Hold, hold=hold, settlement=transfer.settlement, transfer=transfer, until=until
        )
    return True
