"""Rows that track each call to the payment processor.

Every call follows three steps: an *intent* row is committed with its deterministic idempotency
key, the processor is called with that key outside any database transaction, and the *result* is
committed (with its ledger entries). A crash or a timeout between the steps leaves an intent that
``escrow.retry_intents`` completes by repeating the call with the same key, which the processor
answers with the object it already made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Customer(models.Model):
    """The processor's customer for a payer (saved cards belong to it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    customer_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=96, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.customer_id or f"customer intent {self.pk}"


class ConnectedAccount(models.Model):
    """A payee's Connect Express account; its flags are kept current from ``account.updated``."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="connected_account"
    )
    account_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=96, unique=True)
    country = models.CharField(max_length=2, default="US")
    details_submitted = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    transfers_active = models.BooleanField(default=False)
    links_created = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # The bank account (external account) payouts go to, as last read; a change pauses transfers
    # to this account until ``payouts_paused_until`` (PAYOUT_PAUSE_HOURS, escrow/services/pause.py).
    external_account_id = models.CharField(max_length=64, blank=True)
    payouts_paused_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.account_id or f"account intent {self.pk}"

    @property
    def can_receive(self) -> bool:
        return bool(self.account_id) and self.payouts_enabled and self.transfers_active


class Charge(models.Model):
    """The PaymentIntent that funds a hold (amount + client fee). One live charge per hold; a
    declined card leaves it waiting for another card, as the processor does. A PaymentIntent
    cancelled at the processor can never be paid: its charge ends ``canceled`` and the hold's next
    payment is a new charge (a new PaymentIntent)."""

    class Status(models.TextChoices):
        CREATING = "creating", "Being created"
        OPEN = "open", "Waiting for the card"
        SUCCEEDED = "succeeded", "Paid"
        CANCELED = "canceled", "Cancelled at the processor"

    ENDED = (Status.SUCCEEDED, Status.CANCELED)

    hold = models.ForeignKey("escrow.Hold", on_delete=models.PROTECT, related_name="charges")
    idempotency_key = models.CharField(max_length=96, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATING)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    save_card = models.BooleanField(default=False)
    payment_intent_id = models.CharField(max_length=64, blank=True)
    client_secret = models.CharField(max_length=128, blank=True)
    charge_id = models.CharField(max_length=64, blank=True)
    card_label = models.CharField(max_length=64, blank=True)
    last_error_code = models.CharField(max_length=64, blank=True)
    last_error_message = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)
    # When an open charge older than a day is read again (backoff; None: not scheduled). The
    # processor has the final word on it however long that takes (escrow/services/recheck.py).
    next_sync_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hold"],
                condition=~Q(status__in=["succeeded", "canceled"]),
                name="escrow_one_live_charge_per_hold",
            ),
            models.UniqueConstraint(
                fields=["hold"], condition=Q(status="succeeded"), name="escrow_one_paid_charge_per_hold"
            ),
        ]

    def __str__(self) -> str:
        return self.payment_intent_id or f"charge intent {self.pk}"


class _Outgoing(models.Model):
    """A movement out of the platform's balance: a transfer to a payee or a refund to a card."""

    class Status(models.TextChoices):
        BLOCKED = "blocked", "Waiting for payouts to be enabled"
        INTENDED = "intended", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        # Refused PAYOUT_RETRY_MAX_ATTEMPTS times: no more automatic attempts, staff look at it
        # (``last_error`` says why). The money stays owed in its payable account.
        STUCK = "stuck", "Stuck: staff are looking at it"

    settlement = models.OneToOneField("escrow.Settlement", on_delete=models.PROTECT, related_name="+")
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    idempotency_key = models.CharField(max_length=96, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INTENDED)
    processor_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    # A refused or paused row is tried again from this time on (None: whenever it can be).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class Transfer(_Outgoing):
    destination_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta(_Outgoing.Meta):
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="escrow_transfer_positive")
        ]

    def __str__(self) -> str:
        return self.processor_id or f"transfer intent {self.pk}"


class Refund(_Outgoing):
    class Meta(_Outgoing.Meta):
        indexes = [models.Index(fields=["status", "created_at"])]
        constraints = [models.CheckConstraint(condition=Q(amount_minor__gt=0), name="escrow_refund_positive")]

    def __str__(self) -> str:
        return self.processor_id or f"refund intent {self.pk}"


class WebhookEvent(models.Model):
    """A processor event, stored once by its id; a task processes it (replays are no-ops)."""

    event_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=64)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["processed_at", "received_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class ProcessorDiscrepancy(models.Model):
    """Something the processor reported that escrow could not apply: a payment no charge of ours
    asked for, or a transfer whose amount, destination or group differs from our row. Recorded,
    never applied to the ledger; staff see the open ones on /ops/ and the reconciliation report
    lists them. ``resolved_at`` is set when staff have dealt with it."""

    class Kind(models.TextChoices):
        UNMATCHED_PAYMENT = "unmatched_payment", "Payment with no charge of ours"
        TRANSFER_MISMATCH = "transfer_mismatch", "Transfer that does not match our row"

    kind = models.CharField(max_length=24, choices=Kind.choices)
    processor_id = models.CharField(max_length=64)
    event_id = models.CharField(max_length=64, blank=True)
    amount_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    # What differs, in words staff read ("amount 9000 here, 9500 at the processor").
    detail = models.CharField(max_length=255)
    found_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "processor_id"], name="escrow_discrepancy_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.processor_id}"
