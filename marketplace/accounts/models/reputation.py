"""Reputation as last computed: a freelancer's job success score and rating, a client's scorecard.

The ``reviews`` app computes these (``reviews.reputation``) when a review is published or removed, a
contract ends, a dispute is decided, and nightly; they live here, beside the user, so that the
layers below ``reviews`` can read them (the daily proposal cap grows with the score).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class FreelancerReputation(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="freelancer_reputation"
    )
    # Published reviews of the freelancer: the average overall stars (two decimals) and how many.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    # The job success score, 0 to 100, or null while fewer than JSS_MIN_ENDED_CONTRACTS ended contracts
    # fall in the period. The components below are kept whether or not it is shown.
    job_success_score = models.PositiveSmallIntegerField(null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(default=12)
    ended_contracts = models.PositiveIntegerField(default=0)
    good_contracts = models.PositiveIntegerField(default=0)
    bad_contracts = models.PositiveIntegerField(default=0)
    neutral_contracts = models.PositiveIntegerField(default=0)
    good_weight = models.FloatField(default=0)
    total_weight = models.FloatField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(job_success_score__isnull=True) | Q(job_success_score__lte=100),
                name="accounts_jss_0_to_100",
            )
        ]

    def __str__(self) -> str:
        return f"Reputation of freelancer {self.user_id}"


class ClientScorecard(models.Model):
    """What freelancers see of someone who hires: a person hiring alone, or an organisation."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="client_scorecard",
    )
    organisation = models.OneToOneField(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="client_scorecard",
    )
    jobs_posted = models.PositiveIntegerField(default=0)
    jobs_hired = models.PositiveIntegerField(default=0)
    # Null while there is nothing to average.
    avg_days_to_approve = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    avg_days_to_pay = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    avg_rating_given = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    ratings_given = models.PositiveIntegerField(default=0)
    # Published reviews of the client by freelancers.
    rating_avg = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    rating_count = models.PositiveIntegerField(default=0)
    disputes_opened = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="accounts_scorecard_one_owner",
            )
        ]

    def __str__(self) -> str:
        owner = f"organisation {self.organisation_id}" if self.organisation_id else f"client {self.user_id}"
        return f"Scorecard of {owner}"

    @property
    def hire_rate(self) -> int | None:
        """Per cent of posted jobs that hired someone, or None before any job was posted."""
        return round(100 * self.jobs_hired / self.jobs_posted) if self.jobs_posted else None
