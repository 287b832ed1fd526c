from django.db import models
from django.db.models import Q


class ChargeDispute(models.Model):
    """The processor's dispute of a charge (a chargeback): the cardholder's bank asked for the money
    back. Kept current from the ``charge.dispute.*`` events (read back from the processor); once it
    is won or lost it never changes again, whatever a late event says.

    ``charge`` and ``hold`` are empty for a dispute of a charge that is not ours (another
    integration on the same processor account): it is recorded, nothing else. ``froze_hold`` says
    whether this dispute froze the hold (it was funded and not frozen by anything else), so its end
    unfreezes only what it froze."""

    class Outcome(models.TextChoices):
        WON = "won", "Won"
        LOST = "lost", "Lost"

    dispute_id = models.CharField(max_length=64, unique=True)
    charge = models.ForeignKey(
        "escrow.Charge", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    hold = models.ForeignKey(
        "escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="charge_disputes"
    )
    # The processor's ids, as it reported them (kept for a dispute whose charge is not ours).
    processor_charge_id = models.CharField(max_length=64, blank=True)
    payment_intent_id = models.CharField(max_length=64, blank=True)
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=32, blank=True)
    # The processor's status: warning_needs_response, needs_response, under_review, won, lost...
    status = models.CharField(max_length=32)
    outcome = models.CharField(max_length=4, choices=Outcome.choices, blank=True)
    # The processor's dispute fee, taken with the disputed amount (returned if won).
    fee_minor = models.PositiveBigIntegerField(default=0)
    froze_hold = models.BooleanField(default=False)
    # A lost dispute: the refund settlement of the part of the hold the card network returned, what
    # that took from the money still held (with its client fee), and what the platform lost beyond it.
    settlement = models.OneToOneField(
        "escrow.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_from_hold_minor = models.PositiveBigIntegerField(default=0)
    platform_loss_minor = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="") | Q(closed_at__isnull=False), name="escrow_chargeback_closed_has_time"
            ),
            models.CheckConstraint(
                condition=Q(charge__isnull=True) | Q(hold__isnull=False), name="escrow_chargeback_of_a_hold"
            ),
        ]

    def __str__(self) -> str:
        return self.dispute_id

    @property
    def is_closed(self) -> bool:
        return bool(self.outcome)
