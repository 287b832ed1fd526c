from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import Duration


class JobInvitation(models.Model):
    """A client asks a freelancer to propose on a job; it also grants sight of an invite-only job."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        DECLINED = "declined", "Declined"
        PROPOSED = "proposed", "Proposal submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # A withdrawn invitation can be sent again (the client changed their mind); a declined one cannot.
    TRANSITIONS = {
        Status.SENT: {Status.DECLINED, Status.PROPOSED, Status.WITHDRAWN},
        Status.WITHDRAWN: {Status.SENT},
    }
    # An invitation lets its freelancer see an invite-only job only while it stands: declined or
    # withdrawn, the job (and its files) are gone for them.
    STANDING = (Status.SENT, Status.PROPOSED)

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="invitations")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    decline_reason = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "freelancer"], name="jobs_invitation_once")]
        indexes = [models.Index(fields=["freelancer", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"Invitation of {self.freelancer_id} to job {self.job_id}"


class Proposal(models.Model):
    """A freelancer's bid on a job: one per freelancer per job, whatever became of it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ARCHIVED = "archived", "Archived"
        OFFERED = "offered", "Offer sent"
        HIRED = "hired", "Hired"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    TRANSITIONS = {
        Status.SUBMITTED: {
            Status.SHORTLISTED,
            Status.ARCHIVED,
            Status.OFFERED,
            Status.DECLINED,
            Status.WITHDRAWN,
        },
        Status.SHORTLISTED: {Status.ARCHIVED, Status.OFFERED, Status.DECLINED, Status.WITHDRAWN},
        Status.ARCHIVED: {Status.SHORTLISTED, Status.DECLINED, Status.WITHDRAWN},
        # An offer that is declined, withdrawn or expires puts the proposal back on the shortlist;
        # while one is out, the freelancer answers the offer rather than withdrawing.
        Status.OFFERED: {Status.HIRED, Status.SHORTLISTED},
    }
    TERMINAL = (Status.HIRED, Status.DECLINED, Status.WITHDRAWN)
    # The freelancer may edit or withdraw while the proposal is live and the job open.
    EDITABLE = (Status.SUBMITTED, Status.SHORTLISTED, Status.ARCHIVED)

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="proposals")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals"
    )
    cover_letter = models.TextField(max_length=10_000)
    currency = models.CharField(max_length=3)
    # Fixed price: the total price. Hourly: the rate. Integer minor units.
    amount_minor = models.PositiveBigIntegerField()
    # [{"title": str, "amount_minor": int}, …], adding up to amount_minor (fixed price only).
    milestones = models.JSONField(default=list, blank=True)
    duration = models.CharField(max_length=16, choices=Duration.choices)
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    is_invited = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    decline_message = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "freelancer"], name="jobs_proposal_one_per_freelancer"),
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="jobs_proposal_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["freelancer", "-created_at"]),
            models.Index(fields=["job", "status"]),
        ]

    def __str__(self) -> str:
        return f"Proposal {self.pk} by {self.freelancer_id} on job {self.job_id}"
