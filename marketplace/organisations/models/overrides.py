from django.conf import settings
from django.db import models


class PoolOverride(models.Model):
    """Leave for a member who fails some rules to work for one pool, or for one job, for at most
    ``POOL_OVERRIDE_MAX_DAYS`` (90) days. Requested by the worker (or raised by a reviewer), granted
    or denied by a reviewer with a reason. It never waives a compliance block."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        GRANTED = "granted", "Granted"
        DENIED = "denied", "Denied"
        EXPIRED = "expired", "Expired"
        REVOKED = "revoked", "Revoked"

    TRANSITIONS = {
        Status.REQUESTED: {Status.GRANTED, Status.DENIED},
        Status.GRANTED: {Status.EXPIRED, Status.REVOKED},
    }

    membership = models.ForeignKey(
        "organisations.PoolMembership", on_delete=models.CASCADE, related_name="overrides"
    )
    # Empty: the whole pool. Set: only this job of the pool.
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.CASCADE, related_name="pool_overrides"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    request_reason = models.TextField(max_length=2000, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(max_length=2000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # The requirement ids failing when it was granted: what it lets the member work without.
    waived = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=models.Q(status__in=["requested", "granted"], job__isnull=True),
                name="organisations_override_one_open_per_pool",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Override {self.pk} of membership {self.membership_id} ({self.status})"


class ExpiryReminder(models.Model):
    """One reminder sent: ``subject`` names what lapses (``result:<requirement>:<date>`` or
    ``override:<id>``) so each reminder goes out once, whatever the sweep's schedule."""

    membership = models.ForeignKey(
        "organisations.PoolMembership", on_delete=models.CASCADE, related_name="reminders"
    )
    subject = models.CharField(max_length=64)
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "subject", "days_before"], name="organisations_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} reminder {self.days_before} days before"
