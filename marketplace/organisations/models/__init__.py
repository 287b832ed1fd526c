"""Organisations: members and their roles, invitations, API keys, talent pools and their members."""

from .credentials import AgreementSignature, Credential
from .organisations import (
    Invitation,
    Membership,
    Organisation,
    OrganisationAPIKey,
    OrganisationGroupObjectPermission,
    OrganisationUserObjectPermission,
    Role,
)
from .overrides import ExpiryReminder, PoolOverride
from .pools import PoolMembership, PoolTier, TalentPool
from .requirements import Requirement, RequirementResult, ResultStatus, RuleApproval

__all__ = [
    "AgreementSignature",
    "Credential",
    "ExpiryReminder",
    "Invitation",
    "Membership",
    "Organisation",
    "OrganisationAPIKey",
    "OrganisationGroupObjectPermission",
    "OrganisationUserObjectPermission",
    "PoolMembership",
    "PoolOverride",
    "PoolTier",
    "Requirement",
    "RequirementResult",
    "ResultStatus",
    "Role",
    "RuleApproval",
    "TalentPool",
]
