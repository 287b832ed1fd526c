from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import BudgetType


class Offer(models.Model):
    """The client's terms for one proposal. Accepting it snapshots terms and fees onto a contract.

    ``client_fee_bp`` and ``freelancer_fee_bp`` are fixed when the offer is sent (the organisation's
    override, else the platform default), so the breakdown the freelancer accepts is the one shown.
    """

    class Status(models.TextChoices):
        SENT = "sent", "Awaiting answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    TRANSITIONS = {Status.SENT: {Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED}}
    TERMINAL = (Status.ACCEPTED, Status.DECLINED, Status.WITHDRAWN, Status.EXPIRED)

    proposal = models.ForeignKey("jobs.Proposal", on_delete=models.PROTECT, related_name="offers")
    job = models.ForeignKey("jobs.Job", on_delete=models.PROTECT, related_name="offers")
    client = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offers_sent")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="offers_received"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offers",
    )
    title = models.CharField(max_length=120)
    message = models.TextField(max_length=5000, blank=True)
    budget_type = models.CharField(max_length=8, choices=BudgetType.choices)
    currency = models.CharField(max_length=3)
    # Fixed price: the contract total (= the milestones' sum). Hourly: the rate.
    amount_minor = models.PositiveBigIntegerField()
    weekly_hour_cap = models.PositiveSmallIntegerField(null=True, blank=True)
    milestones = models.JSONField(default=list, blank=True)
    client_fee_bp = models.PositiveIntegerField()
    freelancer_fee_bp = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SENT)
    decline_reason = models.TextField(max_length=2000, blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"], condition=Q(status="sent"), name="jobs_offer_one_live_per_proposal"
            ),
            models.UniqueConstraint(
                fields=["proposal"],
                condition=Q(status="accepted"),
                name="jobs_offer_one_accepted_per_proposal",
            ),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="jobs_offer_amount_positive"),
            models.CheckConstraint(
                condition=Q(client_fee_bp__lte=10_000, freelancer_fee_bp__lte=10_000),
                name="jobs_offer_fees_bounded",
            ),
        ]
        indexes = [
            models.Index(fields=["freelancer", "status", "-sent_at"]),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Offer {self.pk}: {self.title}"
