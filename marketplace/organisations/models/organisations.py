from django.conf import settings
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from rest_framework_api_key.models import AbstractAPIKey


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    HIRING_MANAGER = "hiring_manager", "Hiring manager"
    FINANCE = "finance", "Finance"
    VIEWER = "viewer", "Viewer"


class Organisation(models.Model):
    """A company that hires through the platform with several people, and runs a talent pool."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80, unique=True)
    website = models.URLField(blank=True)
    # Fee overrides in basis points; empty means the platform default (PLATFORM_*_FEE_BP).
    client_fee_bp = models.PositiveIntegerField(null=True, blank=True)
    freelancer_fee_bp = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        # The object permissions a role grants (marketplace.organisations.permissions.ROLE_PERMISSIONS).
        permissions = [
            ("manage_owners", "Add, demote or remove owners"),
            ("manage_members", "Invite members, change their roles, remove them"),
            ("manage_settings", "Change the organisation's settings"),
            ("manage_api_keys", "Create and revoke API keys"),
            ("manage_pool", "Invite freelancers to the talent pool and end memberships"),
            ("manage_jobs", "Post and edit jobs"),
            ("make_offers", "Send offers to freelancers"),
            ("fund_work", "Fund milestones (hiring managers up to the approval threshold)"),
            ("approve_payments", "Approve payments above the threshold"),
            ("view_statements", "See statements and spend"),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="accounts_membership_once"),
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]), name="accounts_membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} is {self.role} of {self.organisation_id}"


class Invitation(models.Model):
    """An emailed link to join an organisation; works for existing accounts and for new sign-ups."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    TRANSITIONS = {
        Status.PENDING: {Status.ACCEPTED, Status.DECLINED, Status.REVOKED},
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices)
    # Only a SHA-256 of the token is stored; the token itself exists only in the email.
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "organisation",
                models.functions.Lower("email"),
                condition=models.Q(status="pending"),
                name="accounts_invitation_one_pending_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organisation_id}"


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    """django-guardian's direct foreign-key table for per-organisation user permissions."""

    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationAPIKey(AbstractAPIKey):
    """A hashed API key that lets an integration read its organisation's data."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="api_keys")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "organisation API key"
