"""Notifications: one row per recipient, made by the receivers of lower apps' domain events."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Notification(models.Model):
    """Something happened that the recipient should know about, with a link to where it happened.

    The title and body are written when the event happens (in the words of that moment); ``url``
    is a path on this site. Unread means ``read_at`` is empty.
    """

    class Kind(models.TextChoices):
        JOB_INVITATION = "job_invitation", "Invitation to propose"
        JOB_INVITATION_WITHDRAWN = "job_invitation_withdrawn", "Invitation withdrawn"
        PROPOSAL_RECEIVED = "proposal_received", "Proposal received"
        PROPOSAL_SHORTLISTED = "proposal_shortlisted", "Proposal shortlisted"
        PROPOSAL_DECLINED = "proposal_declined", "Proposal declined"
        OFFER_RECEIVED = "offer_received", "Offer received"
        OFFER_ACCEPTED = "offer_accepted", "Offer accepted"
        OFFER_DECLINED = "offer_declined", "Offer declined"
        OFFER_WITHDRAWN = "offer_withdrawn", "Offer withdrawn"
        OFFER_EXPIRED = "offer_expired", "Offer expired"
        CONTRACT_STARTED = "contract_started", "Contract started"
        CONTRACT_COMPLETED = "contract_completed", "Contract completed"
        CONTRACT_CANCELLED = "contract_cancelled", "Contract cancelled"
        JOB_EXPIRING = "job_expiring", "Job expiring soon"
        JOB_EXPIRED = "job_expired", "Job expired"
        MILESTONE_FUNDED = "milestone_funded", "Milestone funded"
        MILESTONE_SUBMITTED = "milestone_submitted", "Work submitted"
        MILESTONE_REVISION = "milestone_revision", "Changes requested"
        MILESTONE_APPROVED = "milestone_approved", "Work approved"
        PAYMENT_SENT = "payment_sent", "Payment sent"
        PAYOUT_WAITING = "payout_waiting", "Payment waiting for payouts"
        REFUND_SENT = "refund_sent", "Refund sent"
        WEEK_CHARGED = "week_charged", "Hourly week charged"
        WEEK_PAYMENT_FAILED = "week_payment_failed", "Hourly week's payment failed"
        WEEK_PAID = "week_paid", "Hourly week paid after a failed charge"
        DISPUTE_OPENED = "dispute_opened", "Dispute opened"
        DISPUTE_OFFER = "dispute_offer", "Settlement offer"
        DISPUTE_RESOLVED = "dispute_resolved", "Dispute resolved"
        DISPUTE_CASE = "dispute_case", "Dispute case for support"
        DISPUTE_ACTIVITY = "dispute_activity", "Dispute update"
        REVIEW_REMINDER = "review_reminder", "Review reminder"
        REVIEWS_REVEALED = "reviews_revealed", "Reviews published"
        REVIEW_REPLIED = "review_replied", "Reply to your review"
        REVIEW_REMOVED = "review_removed", "Review removed"
        SAVED_SEARCH_MATCH = "saved_search_match", "New jobs for a saved search"
        # Talent pools: the worker's side of a membership, then its managers' side.
        POOL_INVITED = "pool_invited", "Invited to a talent pool"
        POOL_MEMBERSHIP = "pool_membership", "Pool membership update"
        POOL_ACTIVE = "pool_active", "Pool membership active"
        POOL_SUSPENDED = "pool_suspended", "Pool membership suspended"
        POOL_REMOVED = "pool_removed", "Removed from a talent pool"
        POOL_OVERRIDE = "pool_override", "Pool override decided or expired"
        POOL_EXPIRY_REMINDER = "pool_expiry_reminder", "Credential or override expiring"
        POOL_REVIEW = "pool_review", "Pool member to review"
        POOL_ENFORCED = "pool_enforced", "Pool member flagged, suspended or removed by the rules"
        POOL_EXPIRING = "pool_expiring", "Pool member's credential expiring"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.CharField(max_length=300, blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The digest email that carried it (kinds emailed at once never go into one).
    digest = models.ForeignKey(
        "messaging.EmailDigest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="messaging_notif_recipient"),
            # The bell's count on every page: a small partial index of the unread rows only.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="messaging_notif_unread"
            ),
            # The digest task's look for unread rows no digest carried yet.
            models.Index(
                fields=["created_at"],
                condition=Q(read_at__isnull=True, digest__isnull=True),
                name="messaging_notif_undigested",
            ),
        ]

    def __str__(self) -> str:
        return f"Notification {self.pk} for {self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
