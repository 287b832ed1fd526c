"""Disputes: a party's claim on money held in escrow, and the case support staff decide.

A dispute freezes one hold (``escrow.services.holds.hold_freeze``) for as long as it is open:
no release, refund, automatic approval or cancellation refund moves that money until the parties
settle between themselves or support decides. A card chargeback reported by the processor opens a
case of its own kind on the hold its charge funded. A billed hourly week is disputed the same way
(kind ``timesheet``), on the entries in question (``DisputedEntry``).

open (the other side has ``DISPUTE_RESPONSE_DAYS`` to respond) → escalated (support decides,
target ``decide_by``: one business day) → decided; open or escalated → settled (the parties
agreed a split) or withdrawn (the opener dropped it). A chargeback case starts escalated and
ends closed when the processor closes the chargeback.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Dispute(models.Model):
    class Kind(models.TextChoices):
        MILESTONE = "milestone", "Milestone"
        CANCELLATION = "cancellation", "Cancellation refund"
        CHARGEBACK = "chargeback", "Card chargeback"
        TIMESHEET = "timesheet", "Hourly week"

    class Status(models.TextChoices):
        OPEN = "open", "Awaiting response"
        ESCALATED = "escalated", "With support"
        SETTLED = "settled", "Settled by the parties"
        DECIDED = "decided", "Decided by support"
        WITHDRAWN = "withdrawn", "Withdrawn"
        CLOSED = "closed", "Closed"

    TRANSITIONS = {
        Status.OPEN: {Status.ESCALATED, Status.SETTLED, Status.WITHDRAWN},
        Status.ESCALATED: {Status.DECIDED, Status.SETTLED, Status.WITHDRAWN, Status.CLOSED},
    }
    ACTIVE = (Status.OPEN, Status.ESCALATED)

    class Side(models.TextChoices):
        CLIENT = "client", "Client"
        FREELANCER = "freelancer", "Freelancer"

    class Reason(models.TextChoices):
        NOT_DELIVERED = "not_delivered", "Work not delivered"
        QUALITY = "quality", "Work does not meet the agreed terms"
        SCOPE = "scope", "Work outside the agreed scope"
        NOT_APPROVED = "not_approved", "Delivered work not approved"
        CANCELLATION = "cancellation", "Refund after a cancellation"
        CHARGEBACK = "chargeback", "Card chargeback"
        OTHER = "other", "Something else"

    class Outcome(models.TextChoices):
        RELEASE_ALL = "release_all", "Released to the freelancer"
        REFUND_ALL = "refund_all", "Refunded to the client"
        SPLIT = "split", "Split"

    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.MILESTONE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="disputes")
    milestone = models.ForeignKey(
        "contracts.Milestone", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    # A dispute of an hourly week (kind ``timesheet``): the entries in question are ``entries``.
    timesheet = models.ForeignKey(
        "hourly.Timesheet", null=True, blank=True, on_delete=models.PROTECT, related_name="disputes"
    )
    hold = models.ForeignKey("escrow.Hold", on_delete=models.PROTECT, related_name="disputes")
    # The processor's chargeback this case follows (a chargeback case, or a party's dispute it joined).
    chargeback = models.ForeignKey(
        "escrow.ChargeDispute", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # None for a chargeback (the processor opened it).
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_by_side = models.CharField(max_length=10, choices=Side.choices, blank=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    description = models.TextField(max_length=5000)
    # The part of the hold's amount the opener says is theirs (minor units, hold currency).
    amount_minor = models.PositiveBigIntegerField()
    currency = models.CharField(max_length=3)
    respond_by = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(max_length=5000, blank=True)
    # Either side may ask support to step in early; when both have asked it escalates at once.
    opener_asked_support_at = models.DateTimeField(null=True, blank=True)
    respondent_asked_support_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    decide_by = models.DateTimeField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)
    released_minor = models.PositiveBigIntegerField(default=0)
    refunded_minor = models.PositiveBigIntegerField(default=0)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hold"],
                condition=Q(status__in=["open", "escalated"]),
                name="disputes_one_active_per_hold",
            ),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="disputes_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "decide_by"]),
            models.Index(fields=["status", "respond_by"]),
        ]

    def __str__(self) -> str:
        return f"Dispute {self.pk} on {self.hold_id}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class DisputedEntry(models.Model):
    """One time entry of a disputed week, and how much of it is in question: some or all of its
    minutes, and the amount (at most what the entry's minutes cost at the week's rate). The
    dispute's amount is the sum of its entries' amounts."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="entries")
    entry = models.ForeignKey("hourly.TimeEntry", on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    amount_minor = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["dispute", "entry__started_at", "entry_id"]
        verbose_name_plural = "disputed entries"
        constraints = [
            models.UniqueConstraint(fields=["dispute", "entry"], name="disputes_entry_once"),
            models.CheckConstraint(
                condition=Q(minutes__gt=0, amount_minor__gt=0), name="disputes_entry_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Entry {self.entry_id} in dispute {self.dispute_id}"


class DisputeEvidence(models.Model):
    """What one side put forward: a statement and files (kernel files, checked)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="evidence")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Dispute.Side.choices)
    statement = models.TextField(max_length=5000, blank=True)
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dispute", "created_at", "id"]
        verbose_name_plural = "dispute evidence"

    def __str__(self) -> str:
        return f"Evidence {self.pk} for dispute {self.dispute_id}"


class SettlementOffer(models.Model):
    """A split one party proposes; the other accepting it settles the dispute."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Lapsed"

    TRANSITIONS = {Status.OPEN: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.LAPSED}}

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="offers")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=10, choices=Dispute.Side.choices)
    release_minor = models.PositiveBigIntegerField()
    refund_minor = models.PositiveBigIntegerField()
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dispute", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute"], condition=Q(status="open"), name="disputes_one_open_offer"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk} on dispute {self.dispute_id}"


class StaffNote(models.Model):
    """An internal note on a case: support staff only, never shown to the parties."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="staff_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dispute", "created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on dispute {self.dispute_id}"
