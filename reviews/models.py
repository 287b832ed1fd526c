"""Reviews of an ended contract, each side of the other, double-blind, and what is done about them.

A review is hidden (``revealed_at`` is null) until both sides have submitted or the review window
(``REVIEW_WINDOW_DAYS`` after the contract ended) closes; until then only its author reads it. A
review that moderation removed (``removed_at``) no longer shows or counts anywhere. ``Review.objects
.published()`` is the one definition of "counts": revealed and not removed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class ReviewQuerySet(models.QuerySet):
    def published(self) -> "ReviewQuerySet":
        """Revealed and not removed: what pages, the API, scores, notifications and search use."""
        return self.filter(revealed_at__isnull=False, removed_at__isnull=True)


class Review(models.Model):
    class Direction(models.TextChoices):
        # Written by the client's side about the freelancer.
        OF_FREELANCER = "of_freelancer", "The client's review of the freelancer"
        # Written by the freelancer about the client (the person, or the organisation they hire for).
        OF_CLIENT = "of_client", "The freelancer's review of the client"

    # Sub-scores (1 to 5) asked of each direction; ``would_hire_again`` is a yes/no of the client's.
    SUB_SCORES = {
        Direction.OF_FREELANCER: ("quality", "communication", "expertise", "deadlines"),
        Direction.OF_CLIENT: ("clarity", "communication", "payment_promptness"),
    }

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="reviews")
    direction = models.CharField(max_length=16, choices=Direction.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The freelancer, or the contract's client (the person who hired; ``organisation`` says for whom).
    reviewee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_received"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    overall = models.PositiveSmallIntegerField()
    quality = models.PositiveSmallIntegerField(null=True, blank=True)
    communication = models.PositiveSmallIntegerField(null=True, blank=True)
    expertise = models.PositiveSmallIntegerField(null=True, blank=True)
    deadlines = models.PositiveSmallIntegerField(null=True, blank=True)
    clarity = models.PositiveSmallIntegerField(null=True, blank=True)
    payment_promptness = models.PositiveSmallIntegerField(null=True, blank=True)
    would_hire_again = models.BooleanField(null=True, blank=True)
    text = models.TextField("public text", max_length=5000)
    # For the platform only: never shown to the reviewee, on a page or through the API.
    private_note = models.TextField(max_length=2000, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    reply = models.TextField(max_length=2000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removal_reason = models.TextField(max_length=2000, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-revealed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "direction"], name="reviews_one_per_side"),
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5), name="reviews_overall_1_to_5"
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                    name=f"reviews_{name}_1_to_5",
                )
                for name in (
                    "quality",
                    "communication",
                    "expertise",
                    "deadlines",
                    "clarity",
                    "payment_promptness",
                )
            ),
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="reviews_removal_has_reason",
            ),
        ]
        indexes = [
            # A profile's reviews, newest first; the client scorecard's.
            models.Index(fields=["reviewee", "direction", "-revealed_at"], name="reviews_of_reviewee_idx"),
            models.Index(fields=["organisation", "direction", "-revealed_at"], name="reviews_of_org_idx"),
            models.Index(fields=["author", "direction"], name="reviews_by_author_idx"),
        ]

    def __str__(self) -> str:
        return f"Review {self.pk} ({self.direction}) of contract {self.contract_id}"

    @property
    def is_published(self) -> bool:
        return self.revealed_at is not None and self.removed_at is None


class ReviewWindow(models.Model):
    """A contract's review period: opened when the contract ends, closed ``REVIEW_WINDOW_DAYS`` later.

    The beat task reveals what was submitted once ``closes_at`` passes, and sends the reminders of
    ``REVIEW_REMINDER_DAYS`` to the sides that have not reviewed yet (each at most once).
    """

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, related_name="review_window"
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)
    # The reminder days (counted from ``opens_at``) already sent, per side: {"client": [3], ...}.
    reminders_sent = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["revealed_at", "closes_at"], name="reviews_window_due_idx")]

    def __str__(self) -> str:
        return f"Review window of contract {self.contract_id}"


class ReviewReport(models.Model):
    """A party's report of a review to staff: open until staff remove the review or dismiss it."""

    class Reason(models.TextChoices):
        ABUSIVE = "abusive", "Abusive or hateful"
        FALSE = "false", "Not true or not about this contract"
        PRIVATE = "private", "Shares private or contact details"
        EXTORTION = "extortion", "Given in exchange for something, or under pressure"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for staff"
        REMOVED = "removed", "Review removed"
        DISMISSED = "dismissed", "Review kept"

    TRANSITIONS = {Status.OPEN: {Status.REMOVED, Status.DISMISSED}}

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    details = models.TextField(max_length=2000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # One open report per person and review; a dismissed one may be reported again.
            models.UniqueConstraint(
                fields=["review", "reporter"], condition=Q(status="open"), name="reviews_one_open_report"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="reviews_report_queue_idx")]

    def __str__(self) -> str:
        return f"Report {self.pk} of review {self.review_id}"
