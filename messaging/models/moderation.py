"""Blocks between users, reports of a message, a profile or a job, and staff's review of the messages
the off-platform contact check flagged.

A block is one person's choice (``blocker`` no longer hears from ``blocked`` before they work
together; see ``services/moderation.py``). A report waits in the staff's queue while open and ends
actioned (staff hid the message, closed the job or suspended the account) or dismissed, with who
decided, when and why. A flagged message (``Message.contact_flags`` non-empty) waits in the same
queue until staff hide it or clear it; ``FlagReview`` records that decision.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q


class Block(models.Model):
    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="messaging_block_once"),
            models.CheckConstraint(name="messaging_block_not_self", condition=~Q(blocker=F("blocked"))),
        ]
        indexes = [
            # "Is there a block either way between these two?" reads both directions.
            models.Index(fields=["blocked", "blocker"], name="messaging_block_reverse"),
        ]

    def __str__(self) -> str:
        return f"User {self.blocker_id} blocks user {self.blocked_id}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        OFF_PLATFORM = "off_platform", "Asks to talk or pay outside the site"
        SCAM = "scam", "Scam or fraud"
        ABUSE = "abuse", "Harassment, hate or threats"
        INAPPROPRIATE = "inappropriate", "Inappropriate content"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACTIONED = "actioned", "Actioned"
        DISMISSED = "dismissed", "Dismissed"

    class Action(models.TextChoices):
        HIDE_MESSAGE = "hide_message", "Message hidden"
        CLOSE_JOB = "close_job", "Job closed"
        SUSPEND_USER = "suspend_user", "Account suspended"

    TRANSITIONS = {Status.OPEN: {Status.ACTIONED, Status.DISMISSED}}

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.CASCADE, related_name="reports"
    )
    profile = models.ForeignKey(
        "accounts.FreelancerProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=2000, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="messaging_report_one_target",
                condition=(
                    Q(message__isnull=False, profile__isnull=True, job__isnull=True)
                    | Q(message__isnull=True, profile__isnull=False, job__isnull=True)
                    | Q(message__isnull=True, profile__isnull=True, job__isnull=False)
                ),
            ),
            # One open report per reporter and target: a second click is refused, not queued twice.
            *(
                models.UniqueConstraint(
                    fields=["reporter", target],
                    condition=Q(status="open"),
                    name=f"messaging_report_open_{target}_once",
                )
                for target in ("message", "profile", "job")
            ),
        ]
        indexes = [
            # The staff's queue: open reports, oldest first.
            models.Index(
                fields=["created_at", "id"], condition=Q(status="open"), name="messaging_report_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.status})"

    @property
    def target_kind(self) -> str:
        return "message" if self.message_id else "profile" if self.profile_id else "job"


class FlagReview(models.Model):
    """Staff's decision on a message the contact check flagged: hidden, or cleared (a false alarm or
    nothing to act on). A flagged message without one is in the queue."""

    class Outcome(models.TextChoices):
        HIDDEN = "hidden", "Hidden"
        CLEARED = "cleared", "Cleared"

    message = models.OneToOneField("messaging.Message", on_delete=models.CASCADE, related_name="flag_review")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=2000, blank=True)

    def __str__(self) -> str:
        return f"Flag on message {self.message_id}: {self.outcome}"
