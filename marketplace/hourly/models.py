"""Hourly contracts' time and weeks.

A freelancer logs ``TimeEntry`` rows on an active hourly contract; each lies inside one UTC week
(Monday 00:00 to Sunday 24:00) and belongs to that week's ``Timesheet``. After the week ends the
timesheet is billed: nothing for a week without time (``empty``), else one escrow hold for
minutes times rate, funded by an off-session charge of the client's saved card. The client reviews it
until the review deadline (approve early, or dispute), and an undisputed week is released then.

open → charging → in review → approved → released; charging → payment failed → (the client pays
from the page) → in review; in review → disputed → approved / refunded / split (or back to in
review when the dispute is withdrawn); open → empty. While a week's payment has failed the contract
is paused: nobody logs time on it until the week is paid.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Timesheet(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "In progress"
        CHARGING = "charging", "Being charged"
        PAYMENT_FAILED = "payment_failed", "Payment failed"
        IN_REVIEW = "in_review", "In review"
        DISPUTED = "disputed", "Disputed"
        APPROVED = "approved", "Approved, release waiting"
        RELEASED = "released", "Paid"
        REFUNDED = "refunded", "Refunded"
        SPLIT = "split", "Split after a dispute"
        EMPTY = "empty", "No hours"

    TRANSITIONS = {
        Status.OPEN: {Status.CHARGING, Status.EMPTY},
        Status.CHARGING: {Status.IN_REVIEW, Status.PAYMENT_FAILED},
        Status.PAYMENT_FAILED: {Status.CHARGING, Status.IN_REVIEW},
        Status.IN_REVIEW: {Status.APPROVED, Status.DISPUTED},
        Status.DISPUTED: {Status.IN_REVIEW, Status.APPROVED, Status.REFUNDED, Status.SPLIT},
        Status.APPROVED: {Status.RELEASED},
    }
    # The week's money is in escrow (or on its way there).
    HOLDS_MONEY = (Status.IN_REVIEW, Status.DISPUTED, Status.APPROVED)
    BILLED = (
        Status.CHARGING,
        Status.PAYMENT_FAILED,
        Status.IN_REVIEW,
        Status.DISPUTED,
        Status.APPROVED,
        Status.RELEASED,
        Status.REFUNDED,
        Status.SPLIT,
    )

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="timesheets")
    # The Monday (UTC) the week starts on.
    week_start = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    # Fixed when the week is billed: the minutes logged, the contract's rate, and minutes times rate.
    minutes = models.PositiveIntegerField(default=0)
    rate_minor = models.PositiveBigIntegerField(null=True, blank=True)
    amount_minor = models.PositiveBigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3)
    hold = models.OneToOneField(
        "escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="timesheet"
    )
    billed_at = models.DateTimeField(null=True, blank=True)
    funded_at = models.DateTimeField(null=True, blank=True)
    review_by = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    # The last failed charge: the processor's code and what the client is told.
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.CharField(max_length=255, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["contract", "-week_start"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "week_start"], name="hourly_timesheet_week_once"),
            models.CheckConstraint(
                condition=Q(status__in=["open", "empty", "charging", "payment_failed"])
                | Q(hold__isnull=False),
                name="hourly_timesheet_money_has_a_hold",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "week_start"]),
            models.Index(fields=["status", "review_by"]),
        ]

    def __str__(self) -> str:
        return f"Week of {self.week_start} on contract {self.contract_id}"


class TimeEntry(models.Model):
    """Time worked: a start (UTC) and a length, inside its timesheet's week. Editable while the week
    is open; the timer's entries are made when it stops."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Logged by hand"
        TIMER = "timer", "Timer"

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="entries")
    started_at = models.DateTimeField()
    minutes = models.PositiveIntegerField()
    memo = models.CharField(max_length=500)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["timesheet", "started_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=7 * 24 * 60), name="hourly_timeentry_minutes_bounded"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min from {self.started_at:%Y-%m-%d %H:%M} on timesheet {self.timesheet_id}"


class RunningTimer(models.Model):
    """The freelancer's timer on one contract, from start until it is stopped into time entries."""

    contract = models.OneToOneField(
        "contracts.Contract", on_delete=models.CASCADE, related_name="running_timer"
    )
    started_at = models.DateTimeField()
    memo = models.CharField(max_length=500, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"Timer on contract {self.contract_id} since {self.started_at:%Y-%m-%d %H:%M}"
