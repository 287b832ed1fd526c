"""Contracts (an accepted offer's terms and fees, frozen), their milestones and the work handed in.

The tables keep the names they had when these models lived in the jobs app (``jobs_*``): the move
changed only where the code lives.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from marketplace.jobs.models import BudgetType


class Contract(models.Model):
    """An accepted offer: the terms and fees agreed, frozen. Money arrives with escrow."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    TRANSITIONS = {Status.ACTIVE: {Status.COMPLETED, Status.CANCELLED}}
    TERMINAL = (Status.COMPLETED, Status.CANCELLED)

    class CancelReason(models.TextChoices):
        """Why a contract was cancelled, chosen by whoever cancels it. The client's "not delivered"
        after funding makes the contract a bad one in the freelancer's job success score."""

        NOT_DELIVERED = "not_delivered", "The work was not delivered"
        UNRESPONSIVE = "unresponsive", "The other side stopped responding"
        PLANS_CHANGED = "plans_changed", "Plans changed"
        MUTUAL = "mutual", "Both sides agreed to end it"
        OTHER = "other", "Something else"

    offer = models.OneToOneField("jobs.Offer", on_delete=models.PROTECT, related_name="contract")
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="contracts")
    client = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_client"
    )
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts_as_freelancer"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    title = models.CharField(max_length=120)
    budget_type = models.CharField(max_length=8, choices=BudgetType.choices)
    currency = models.CharField(max_length=3)
    amount_minor = models.PositiveBigIntegerField()
    weekly_hour_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    client_fee_bp = models.PositiveIntegerField()
    freelancer_fee_bp = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(max_length=2000, blank=True)
    # Set when the contract is cancelled (blank for a completed one, and for one cancelled before
    # the reasons were asked).
    cancel_reason = models.CharField(max_length=16, choices=CancelReason.choices, blank=True)

    class Meta:
        db_table = "jobs_contract"
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-started_at"]),
            models.Index(fields=["freelancer", "-started_at"]),
        ]

    def __str__(self) -> str:
        return f"Contract {self.pk}: {self.title}"


class Milestone(models.Model):
    """One part of a fixed-price contract's schedule, with its money in an escrow hold.

    pending → funded → submitted ⇄ revision requested → approved → released. Approval (by the client,
    or automatically ``MILESTONE_AUTO_APPROVE_DAYS`` after a submission nobody answered) releases
    the money at once; the milestone stays "approved" only while the release waits for the
    freelancer's payouts. A cancelled contract refunds funded, unsubmitted milestones after the
    dispute window (``refund_due_at``) and cancels the unfunded ones.

    A dispute settles a funded, submitted or revision-requested milestone whatever its step: all
    released (approved, then released once paid), all refunded, or split between the two
    (``DISPUTE_TRANSITIONS``; only ``milestone_settle_by_dispute`` makes these moves).
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting funding"
        FUNDED = "funded", "Funded"
        SUBMITTED = "submitted", "Submitted for approval"
        REVISION_REQUESTED = "revision", "Changes requested"
        APPROVED = "approved", "Approved, release waiting"
        RELEASED = "released", "Paid"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"
        SPLIT = "split", "Split after a dispute"

    # The moves of the milestone's own steps: the people's actions (``permissions.MILESTONE_ACTIONS``
    # reads these) and the sweeps.
    STEP_TRANSITIONS = {
        Status.PENDING: {Status.FUNDED, Status.CANCELLED},
        Status.FUNDED: {Status.SUBMITTED, Status.REFUNDED},
        Status.SUBMITTED: {Status.REVISION_REQUESTED, Status.APPROVED},
        Status.REVISION_REQUESTED: {Status.SUBMITTED, Status.REFUNDED},
        Status.APPROVED: {Status.RELEASED},
    }
    # What a dispute's end does to money still held, from any step that holds it.
    DISPUTED = (Status.FUNDED, Status.SUBMITTED, Status.REVISION_REQUESTED)
    DISPUTE_ENDS = frozenset({Status.APPROVED, Status.REFUNDED, Status.SPLIT})
    DISPUTE_TRANSITIONS = dict.fromkeys(DISPUTED, DISPUTE_ENDS)
    TRANSITIONS = {
        Status.PENDING: STEP_TRANSITIONS[Status.PENDING],
        Status.FUNDED: STEP_TRANSITIONS[Status.FUNDED] | DISPUTE_ENDS,
        Status.SUBMITTED: STEP_TRANSITIONS[Status.SUBMITTED] | DISPUTE_ENDS,
        Status.REVISION_REQUESTED: STEP_TRANSITIONS[Status.REVISION_REQUESTED] | DISPUTE_ENDS,
        Status.APPROVED: STEP_TRANSITIONS[Status.APPROVED],
    }
    # Money is in escrow and no submission waits for the client: what a cancellation refunds.
    REFUNDABLE = (Status.FUNDED, Status.REVISION_REQUESTED)
    HOLDS_MONEY = (Status.FUNDED, Status.SUBMITTED, Status.REVISION_REQUESTED, Status.APPROVED)

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=120)
    amount_minor = models.PositiveBigIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    hold = models.OneToOneField(
        "escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="milestone"
    )
    funded_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_approve_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    refund_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "jobs_milestone"
        ordering = ["contract", "position"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "position"], name="jobs_milestone_position_once"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="jobs_milestone_amount_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "cancelled"]) | Q(hold__isnull=False),
                name="jobs_milestone_money_has_a_hold",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "auto_approve_at"]),
            models.Index(fields=["status", "refund_due_at"]),
        ]

    def __str__(self) -> str:
        return f"Milestone {self.position} of contract {self.contract_id}"


class MilestoneSubmission(models.Model):
    """Work handed in for a milestone (message + files), and the client's answer if changes were asked."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="submissions")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    message = models.TextField(max_length=5000)
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revision_message = models.TextField(max_length=5000, blank=True)
    revision_requested_at = models.DateTimeField(null=True, blank=True)
    revision_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "jobs_milestonesubmission"
        ordering = ["milestone", "created_at", "id"]

    def __str__(self) -> str:
        return f"Submission {self.pk} for milestone {self.milestone_id}"
