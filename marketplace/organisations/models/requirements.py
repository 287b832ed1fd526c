from django.conf import settings
from django.db import models

from ..requirements.kinds import DEFAULT_REMINDER_DAYS, KINDS


def default_reminder_days() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


class Requirement(models.Model):
    """One rule of a pool's requirement set: a kind (``requirements.kinds.KINDS``) and its settings."""

    pool = models.ForeignKey(
        "organisations.TalentPool", on_delete=models.CASCADE, related_name="requirements"
    )
    kind = models.CharField(max_length=24, choices=[(key, kind.label) for key, kind in KINDS.items()])
    config = models.JSONField(default=dict)
    position = models.PositiveSmallIntegerField(default=0)
    # Days before a passing credential (or an override) lapses on which the worker is reminded.
    reminder_days = models.JSONField(default=default_reminder_days)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for pool {self.pool_id}"


class ResultStatus(models.TextChoices):
    PASS = "pass", "Pass"
    FAIL = "fail", "Fail"
    PENDING = "pending", "Pending review"
    EXPIRED = "expired", "Expired"


class RequirementResult(models.Model):
    """The evaluator's last answer for one member and one rule, with the evidence it used.
    Written only by ``services.evaluation``."""

    membership = models.ForeignKey(
        "organisations.PoolMembership", on_delete=models.CASCADE, related_name="results"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="results")
    status = models.CharField(max_length=8, choices=ResultStatus.choices)
    reason = models.TextField()
    evidence = models.JSONField(default=dict)
    # The first day a pass stops counting (an expiry date, or the day a check gets too old).
    lapses_on = models.DateField(null=True, blank=True)
    evaluated_at = models.DateTimeField()

    class Meta:
        ordering = ["requirement__position", "requirement_id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "requirement"], name="organisations_result_once")
        ]
        indexes = [models.Index(fields=["status", "lapses_on"])]

    def __str__(self) -> str:
        return f"{self.requirement_id} for membership {self.membership_id}: {self.status}"


class RuleApproval(models.Model):
    """A reviewer's approval of one failed rule of one member (say $950k of cover against a $1M
    minimum), with a reason. It holds while the same credential is the evidence."""

    membership = models.ForeignKey(
        "organisations.PoolMembership", on_delete=models.CASCADE, related_name="approvals"
    )
    requirement = models.ForeignKey(Requirement, on_delete=models.CASCADE, related_name="approvals")
    credential = models.ForeignKey(
        "organisations.Credential", null=True, blank=True, on_delete=models.CASCADE, related_name="approvals"
    )
    reason = models.TextField(max_length=2000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "requirement"], name="organisations_rule_approval_once"
            )
        ]

    def __str__(self) -> str:
        return f"Rule {self.requirement_id} approved for membership {self.membership_id}"
