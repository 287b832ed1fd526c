from django.conf import settings
from django.db import models


class TalentPool(models.Model):
    """An organisation's pool of workers ("talent cloud"). Every organisation gets a default pool at
    creation (seen by the organisation only, joined by invitation, no requirements); it may run
    more. Who sees a pool (``visibility``) and how people join it (``join_policy``) make its kind;
    its requirement set vets the members (``requirements``)."""

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Any worker"
        INVITEES = "invitees", "Invited workers only"
        ORGANISATION = "organisation", "The organisation only"

    class JoinPolicy(models.TextChoices):
        APPLY = "apply", "Workers apply"
        INVITATION = "invitation", "By invitation"
        ADDED = "added", "Added by the organisation"

    class OnExpiry(models.TextChoices):
        FLAG = "flag", "Flag the member"
        SUSPEND = "suspend", "Suspend the member"
        REMOVE = "remove", "Remove the member"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="pools"
    )
    name = models.CharField(max_length=120)
    is_default = models.BooleanField(default=False)
    description = models.TextField(max_length=2000, blank=True)
    visibility = models.CharField(max_length=12, choices=Visibility.choices, default=Visibility.ORGANISATION)
    join_policy = models.CharField(max_length=12, choices=JoinPolicy.choices, default=JoinPolicy.INVITATION)
    # On: requirement results move members (the expiry action, automatic reinstatement). Off: the
    # results are shown and managers act by hand.
    auto_enforce = models.BooleanField(default=True)
    on_expiry = models.CharField(max_length=8, choices=OnExpiry.choices, default=OnExpiry.SUSPEND)
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


# The live statuses as stored, for the constraints (a class attribute is not in scope there).
LIVE_VALUES = [
    "invited",
    "awaiting_requirements",
    "override_requested",
    "awaiting_review",
    "active",
    "suspended",
]


class PoolTier(models.Model):
    """A rank inside a pool (preferred, standard…) with what goes with it for its members."""

    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(max_length=60)
    priority = models.PositiveSmallIntegerField(default=1, help_text="1 is offered work first.")
    pay_rate_minor = models.PositiveIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        ordering = ["priority", "name"]
        constraints = [models.UniqueConstraint(fields=["pool", "name"], name="organisations_tier_name_once")]

    def __str__(self) -> str:
        return self.name


class PoolMembership(models.Model):
    """A worker's place in a pool, through its lifecycle: invited → awaiting requirements →
    (override requested) → awaiting review → active ⇄ suspended → removed. Active membership is
    what makes "pool" visibility work.

    An invitation by address stores the address as typed (``email``, lower-cased) and no
    ``freelancer``: whether an account has that address is not looked up until someone logged in
    with it answers, so the invitation tells the inviter nothing about accounts. An invitation from
    a profile's page (by handle) names the freelancer the inviter could see and leaves ``email``
    blank. Accepting or declining sets ``freelancer``.
    """

    class Status(models.TextChoices):
        INVITED = "invited", "Invited"
        AWAITING_REQUIREMENTS = "awaiting_requirements", "Awaiting requirements"
        OVERRIDE_REQUESTED = "override_requested", "Override requested"
        AWAITING_REVIEW = "awaiting_review", "Awaiting review"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        DECLINED = "declined", "Declined"
        # Shown as "Removed": the member left, or the organisation removed them or withdrew the
        # invitation. Stored as "ended", the value it had before pools vetted their members.
        ENDED = "ended", "Removed"

    class JoinedVia(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        APPLICATION = "application", "Application"
        ADDED = "added", "Added by the organisation"

    # Every move goes through services.lifecycle.membership_move (services.pools for the invitation's
    # answer and for leaving), each with a reason.
    TRANSITIONS = {
        Status.INVITED: {Status.AWAITING_REQUIREMENTS, Status.ACTIVE, Status.DECLINED, Status.ENDED},
        Status.AWAITING_REQUIREMENTS: {Status.AWAITING_REVIEW, Status.OVERRIDE_REQUESTED, Status.ENDED},
        Status.OVERRIDE_REQUESTED: {
            Status.ACTIVE,
            Status.AWAITING_REQUIREMENTS,
            Status.AWAITING_REVIEW,
            Status.ENDED,
        },
        Status.AWAITING_REVIEW: {Status.ACTIVE, Status.AWAITING_REQUIREMENTS, Status.ENDED},
        Status.ACTIVE: {Status.SUSPENDED, Status.ENDED},
        Status.SUSPENDED: {Status.ACTIVE, Status.ENDED},
    }
    LIVE = tuple(map(Status, LIVE_VALUES))
    # Joined (not only invited) and not yet let in: what the review queue and the checklist cover.
    VETTING = (Status.AWAITING_REQUIREMENTS, Status.OVERRIDE_REQUESTED, Status.AWAITING_REVIEW)

    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    freelancer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pool_memberships",
    )
    email = models.EmailField(blank=True, help_text="The address the inviter typed, lower-cased.")
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.INVITED)
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
    joined_via = models.CharField(max_length=12, choices=JoinedVia.choices, default=JoinedVia.INVITATION)
    tier = models.ForeignKey(
        PoolTier, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    # The pool's "flag" expiry action: the member stays active, marked, until every rule passes.
    flagged_at = models.DateTimeField(null=True, blank=True)
    flag_reason = models.TextField(blank=True)
    # Suspended by the requirement results (reinstated automatically once every rule passes), not
    # by a manager's hand (reinstated only by hand).
    suspended_by_rules = models.BooleanField(default=False)

    class Meta:
        ordering = ["-invited_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "freelancer"],
                condition=models.Q(status__in=LIVE_VALUES),
                name="accounts_pool_membership_one_live",
            ),
            models.UniqueConstraint(
                fields=["pool", "email"],
                condition=models.Q(status__in=LIVE_VALUES) & ~models.Q(email=""),
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
