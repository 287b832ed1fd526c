"""The reconciliation's report: each run of the comparison between the ledger and the processor, and
what it found. A finding names the objects on both sides (the processor's id and amount, our row or
ledger transaction and its amount) and says in plain words what staff should do; staff mark it
explained with a note, and a later run that meets the same mismatch (the same ``fingerprint``) carries
the explanation over rather than asking again."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReconciliationRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        INCOMPLETE = "incomplete", "Finished, but some checks could not run"

    class Trigger(models.TextChoices):
        SCHEDULE = "schedule", "Nightly"
        STAFF = "staff", "Started by staff"

    trigger = models.CharField(max_length=8, choices=Trigger.choices, default=Trigger.SCHEDULE)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    # The window compared: processor objects and ledger postings created in it.
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # How many objects of each kind were compared ({"payment_intent": 12, ...}).
    compared = models.JSONField(default=dict, blank=True)
    # Why checks could not run (the processor did not answer), in plain words.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="escrow_one_reconciliation_running"
            )
        ]

    def __str__(self) -> str:
        return f"Reconciliation {self.pk} ({self.get_status_display()})"


class ReconciliationFinding(models.Model):
    class Kind(models.TextChoices):
        STORED_BALANCE_OFF = "stored_balance_off", "Stored balance off"
        CHARGE_MISSING_IN_LEDGER = "charge_missing_in_ledger", "Payment not in the ledger"
        LEDGER_FUND_WITHOUT_CHARGE = "ledger_fund_without_charge", "Funding without a payment"
        AMOUNT_MISMATCH = "amount_mismatch", "Payment amount differs"
        REFUND_MISSING = "refund_missing", "Refund missing at Stripe"
        REFUND_FAILED = "refund_failed", "Refund failed at Stripe"
        REFUND_MISSING_IN_LEDGER = "refund_missing_in_ledger", "Refund not in the ledger"
        REFUND_AMOUNT_MISMATCH = "refund_amount_mismatch", "Refund amount differs"
        TRANSFER_MISSING = "transfer_missing", "Transfer missing at Stripe"
        TRANSFER_MISSING_IN_LEDGER = "transfer_missing_in_ledger", "Transfer not in the ledger"
        TRANSFER_AMOUNT_MISMATCH = "transfer_amount_mismatch", "Transfer amount differs"
        TRANSFER_REVERSED = "transfer_reversed", "Transfer reversed at Stripe"
        ORPHAN_PROCESSOR_OBJECT = "orphan_processor_object", "Stripe object nobody here knows"
        FEE_MISSING_IN_LEDGER = "fee_missing_in_ledger", "Processor fee not in the ledger"
        FEE_AMOUNT_MISMATCH = "fee_amount_mismatch", "Processor fee differs"
        FEE_WITHOUT_BALANCE_TRANSACTION = "fee_without_balance_transaction", "Fee Stripe does not have"
        DISPUTE_NOT_RECORDED = "dispute_not_recorded", "Dispute not recorded here"
        DISPUTE_STATUS_MISMATCH = "dispute_status_mismatch", "Dispute outcome differs"
        DISPUTE_AMOUNT_MISMATCH = "dispute_amount_mismatch", "Dispute amount differs"

    run = models.ForeignKey(ReconciliationRun, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    currency = models.CharField(max_length=3, blank=True)
    # The processor's side: its object type and id (pi_…, re_…, tr_…) and amount.
    processor_type = models.CharField(max_length=32, blank=True)
    processor_id = models.CharField(max_length=64, blank=True)
    processor_amount_minor = models.BigIntegerField(null=True, blank=True)
    # Our side: the row or ledger transaction ("ledger transaction 41", "ledger account …") and amount.
    ledger_ref = models.CharField(max_length=128, blank=True)
    ledger_amount_minor = models.BigIntegerField(null=True, blank=True)
    hold = models.ForeignKey("escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.CharField(max_length=500)
    action = models.CharField(max_length=500)
    # kind + both sides' ids: the same mismatch met again by a later run.
    fingerprint = models.CharField(max_length=255, db_index=True)
    explained_at = models.DateTimeField(null=True, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    explanation = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.processor_id or self.ledger_ref})"
