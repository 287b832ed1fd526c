"""Accounts: users, profiles, places and skills, uploads, organisations and talent pools."""

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
from .profiles import Badge, ClientProfile, FreelancerProfile, PortfolioItem, Skill
from .reference import City
from .reputation import ClientScorecard, FreelancerReputation
from .uploads import Image
from .users import User, UserManager

__all__ = [
    "Badge",
    "City",
    "ClientProfile",
    "ClientScorecard",
    "FreelancerProfile",
    "FreelancerReputation",
    "Image",
    "Invitation",
    "Membership",
    "Organisation",
    "OrganisationAPIKey",
    "OrganisationGroupObjectPermission",
    "OrganisationUserObjectPermission",
    "PoolMembership",
    "PortfolioItem",
    "Role",
    "Skill",
    "TalentPool",
    "User",
    "UserManager",
]
