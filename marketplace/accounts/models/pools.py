from django.conf import settings
from django.db import models


class TalentPool(models.Model):
    """An organisation's pool of freelancers. Every organisation gets a default pool at creation;
    requirements, tiers and routing attach to pools in later work."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="pools")
    name = models.CharField(max_length=120)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"], condition=models.Q(is_default=True), name="accounts_pool_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PoolMembership(models.Model):
    """A freelancer's place in a pool. Active membership is what makes "pool" visibility work."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        ACTIVE = "active", "Active"
        DECLINED = "declined", "Declined"
        ENDED = "ended", "Ended"

    TRANSITIONS = {
        Status.INVITED: {Status.ACTIVE, Status.DECLINED, Status.ENDED},
        Status.ACTIVE: {Status.ENDED},
    }
    LIVE = (Status.INVITED, Status.ACTIVE)

    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_memberships"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.INVITED)
    message = models.TextField(max_length=2000, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "freelancer"],
                condition=models.Q(status__in=["invited", "active"]),
                name="accounts_pool_membership_one_live",
            )
        ]
        indexes = [models.Index(fields=["freelancer", "status"])]

    def __str__(self) -> str:
        return f"{self.freelancer_id} in pool {self.pool_id} ({self.status})"
