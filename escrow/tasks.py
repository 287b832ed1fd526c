"""Escrow's background work: sending transfers and refunds, processing webhook events, and
completing processor calls that a crash or a timeout left half done."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from marketplace.core.exceptions import Conflict

from . import gateway, idempotency
from .models import Charge, ConnectedAccount, Customer, ReconciliationRun, Refund, Transfer, WebhookEvent
from .services.aging import holds_aging
from .services.charges import charge_off_session, charge_start, customer_for
from .services.connect import connected_account_for, transfers_retry_for
from .services.outgoing_retry import refunds_retry_due
from .services.payouts import refund_send, transfer_send
from .services.reconciliation import reconciliation_execute, reconciliation_start
from .services.recovery import charge_recheck
from .services.webhooks import webhook_process

logger = logging.getLogger(__name__)
RETRY = {"autoretry_for": (gateway.ProcessorUnavailable,), "retry_backoff": 5, "max_retries": 5}


@shared_task(name="escrow.transfer_send", **RETRY)
def transfer_send_task(transfer_id: int) -> None:
    transfer_send(transfer_id)


@shared_task(name="escrow.refund_send", **RETRY)
def refund_send_task(refund_id: int) -> None:
    refund_send(refund_id)


@shared_task(name="escrow.webhook_process", autoretry_for=(Exception,), retry_backoff=5, max_retries=5)
def webhook_process_task(row_id: int) -> None:
    webhook_process(row_id=row_id)


@shared_task(name="escrow.retry_intents")
def retry_intents(older_than_seconds: int = 60) -> dict[str, int]:
    """Repeat every processor call whose result was not recorded (same idempotency keys), and
    process stored events that failed. Idempotent; beat runs it every minute.

    Open charges (the card form was left, or its answer and the webhook were lost) are read again
    every minute for a day, then with a growing wait until the processor says they are final
    (``charge_recheck``). Refused transfers and refunds are tried again when their wait is over
    (a transfer's account read again first), a bounded number of times (``outgoing_retry``)."""
    now = timezone.now()
    before = now - timedelta(seconds=older_than_seconds)
    done = {
        "customers": 0,
        "accounts": 0,
        "charges": 0,
        "transfers": 0,
        "unblocked": 0,
        "refunds": 0,
        "events": 0,
        "failed": 0,
        # Refused refunds whose wait is over, made intended again (the "refunds" job sends them).
        "refunds_retried": len(refunds_retry_due(now)),
    }
    jobs = [
        (
            "customers",
            Customer.objects.filter(customer_id="", created_at__lt=before),
            lambda c: customer_for(c.user),
        ),
        (
            "accounts",
            ConnectedAccount.objects.filter(account_id="", created_at__lt=before),
            lambda a: connected_account_for(a.user, country=a.country),
        ),
        (
            "charges",
            Charge.objects.filter(status=Charge.Status.CREATING, created_at__lt=before),
            lambda c: (
                charge_off_session(hold=c.hold)
                if idempotency.is_off_session(c.idempotency_key)
                else charge_start(hold=c.hold)
            ),
        ),
        (
            "charges",
            Charge.objects.filter(
                Q(next_sync_at__isnull=True) | Q(next_sync_at__lte=now),
                status=Charge.Status.OPEN,
                created_at__lt=before,
            ).exclude(payment_intent_id=""),
            lambda c: charge_recheck(c, now=now),
        ),
        (
            "transfers",
            Transfer.objects.filter(status=Transfer.Status.INTENDED, created_at__lt=before),
            lambda t: transfer_send(t.pk),
        ),
        (
            # Waiting for payouts that are enabled by now (the account changed while they were made),
            # for the next attempt after a refusal, or for the end of a payout pause.
            "unblocked",
            ConnectedAccount.objects.filter(
                Q(payouts_paused_until__isnull=True) | Q(payouts_paused_until__lte=now),
                payouts_enabled=True,
                transfers_active=True,
                user_id__in=Transfer.objects.filter(
                    Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                    status=Transfer.Status.BLOCKED,
                ).values("destination_user_id"),
            ),
            transfers_retry_for,
        ),
        (
            "refunds",
            Refund.objects.filter(status=Refund.Status.INTENDED, created_at__lt=before),
            lambda r: refund_send(r.pk),
        ),
        (
            "events",
            WebhookEvent.objects.filter(processed_at__isnull=True, received_at__lt=before),
            lambda e: webhook_process(row_id=e.pk),
        ),
    ]
    for name, rows, step in jobs:
        for row in rows.order_by("pk"):
            try:
                step(row)
                done[name] += 1
            except Exception:
                done["failed"] += 1
                logger.warning("retrying %s %s failed", name, row.pk, exc_info=True)
    return done


@shared_task(name="escrow.ledger_reconcile")
def ledger_reconcile(run_id: int | None = None) -> int:
    """The reconciliation (beat runs it nightly; the staff button on /ops/ queues it with the run it
    made): stored balances against their entries, and the ledger against Stripe's payments, refunds
    and transfers, written as a report. The number of findings nobody has explained."""
    if run_id is None:
        try:
            run = reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE)
        except Conflict:
            logger.warning("reconciliation skipped: another one is running")
            return 0
    else:
        run = ReconciliationRun.objects.get(pk=run_id, status=ReconciliationRun.Status.RUNNING)
    run = reconciliation_execute(run)
    return run.findings.filter(explained_at__isnull=True).count()


@shared_task(name="escrow.holds_aging")
def holds_aging_task() -> dict[str, int]:
    """Warn about, and at the limit settle or flag, money waiting too long for its transfer."""
    return holds_aging()
