from django.conf import settings
from django.db import models


class TalentPool(models.Model):
    """An organisation's pool of freelancers. Every organisation gets a default pool at creation;
    requirements, tiers and routing attach to pools in later work."""

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pools"
    )
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
    """A freelancer's place in a pool. Active membership is what makes "pool" visibility work.

    An invitation by address stores the address as typed (``email``, lower-cased) and no
    ``freelancer``: whether an account has that address is not looked up until someone logged in
    with it answers, so the invitation tells the inviter nothing about accounts. An invitation from
    a profile's page (by handle) names the freelancer the inviter could see and leaves ``email``
    blank. Accepting or declining sets ``freelancer``.
    """

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
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pool_memberships",
    )
    email = models.EmailField(blank=True, help_text="The address the inviter typed, lower-cased.")
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
            ),
            models.UniqueConstraint(
                fields=["pool", "email"],
                condition=models.Q(status__in=["invited", "active"]) & ~models.Q(email=""),
                name="accounts_pool_membership_one_live_email",
            ),
            models.CheckConstraint(
                condition=~models.Q(email="") | models.Q(freelancer__isnull=False),
                name="accounts_pool_membership_someone",
            ),
        ]
        # Named as when the table was accounts_poolmembership (an index's default name follows the table's).
        indexes = [
            models.Index(fields=["freelancer", "status"], name="accounts_po_freelan_b6e485_idx"),
            models.Index(fields=["email", "status"], name="accounts_po_email_256d16_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.freelancer_id or self.email} in pool {self.pool_id} ({self.status})"

    @property
    def invitee(self) -> str:
        """How the inviter named the invitee: the address typed, else the profile's handle."""
        if self.email:
            return self.email
        profile = getattr(self.freelancer, "freelancer_profile", None) if self.freelancer_id else None
        return profile.handle if profile is not None else ""
