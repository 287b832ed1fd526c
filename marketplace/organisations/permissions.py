"""What each organisation role may do, as django-guardian object permissions.

The role on ``Membership`` is the source of truth; ``services.organisations`` rewrites the
member's rows in the direct foreign-key permission table whenever the role changes, and services
check ``user.has_perm("organisations.<codename>", organisation)`` before acting.
"""

from marketplace.core.exceptions import PermissionDenied

from .models import Membership, Organisation, Role

ALL_PERMISSIONS = frozenset(
    {
        "view_organisation",
        "change_organisation",
        "manage_owners",
        "manage_members",
        "manage_settings",
        "manage_api_keys",
        "manage_pool",
        "manage_jobs",
        "make_offers",
        "fund_work",
        "approve_payments",
        "view_statements",
    }
)

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.OWNER: ALL_PERMISSIONS,
    Role.ADMIN: frozenset(
        {
            "view_organisation",
            "change_organisation",
            "manage_members",
            "manage_settings",
            "manage_api_keys",
            "manage_pool",
        }
    ),
    Role.HIRING_MANAGER: frozenset(
        {"view_organisation", "manage_pool", "manage_jobs", "make_offers", "fund_work"}
    ),
    Role.FINANCE: frozenset({"view_organisation", "fund_work", "approve_payments", "view_statements"}),
    Role.VIEWER: frozenset({"view_organisation"}),
}

# What a member must hold to *read* more than the organisation itself. Pages (their tabs and
# columns) and the API ask these same names, so the two cannot drift apart.
SEE_PENDING_INVITATIONS = "manage_members"  # the member invitations not yet answered
SEE_POOL_CONTACTS = "manage_pool"  # pool freelancers' email addresses (and invitees' typed ones)

ACTION_DESCRIPTIONS = {
    "view_organisation": "see this organisation",
    "change_organisation": "change this organisation",
    "manage_owners": "add, demote or remove owners",
    "manage_members": "manage members",
    "manage_settings": "change settings",
    "manage_api_keys": "manage API keys",
    "manage_pool": "manage the talent pool",
    "manage_jobs": "post or edit jobs",
    "make_offers": "send offers",
    "fund_work": "fund work",
    "approve_payments": "approve payments",
    "view_statements": "see statements",
}


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Membership.objects.filter(organisation=organisation, user=user).first()


def has_org_permission(user, organisation: Organisation, codename: str) -> bool:
    """Whether ``user``'s role on ``organisation`` grants ``codename`` (never for a suspended user)."""
    active = getattr(user, "is_authenticated", False) and not user.is_suspended
    return bool(active and user.has_perm(f"organisations.{codename}", organisation))


def require_org_permission(user, organisation: Organisation, codename: str) -> None:
    """Refuse unless ``user`` holds ``codename`` on ``organisation`` (through a role's grant)."""
    if has_org_permission(user, organisation, codename):
        return
    membership = membership_of(user, organisation)
    if membership is None:
        raise PermissionDenied("You are not a member of this organisation.", code="not_a_member")
    raise PermissionDenied(
        f"Your role ({membership.get_role_display()}) does not allow you to "
        f"{ACTION_DESCRIPTIONS.get(codename, codename)}.",
        code="role_forbids",
    )
