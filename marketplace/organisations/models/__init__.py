"""Organisations: members and their roles, invitations, API keys, talent pools and their members."""

from .organisations import (
    Invitation,
    Membership,
    Organisation,
    OrganisationAPIKey,
    OrganisationGroupObjectPermission,
    OrganisationUserObjectPermission,
    Role,
)
from .pools import PoolMembership, TalentPool

__all__ = [
    "Invitation",
    "Membership",
    "Organisation",
    "OrganisationAPIKey",
    "OrganisationGroupObjectPermission",
    "OrganisationUserObjectPermission",
    "PoolMembership",
    "Role",
    "TalentPool",
]
