"""Jobs, templates, invitations, proposals and offers (the hiring funnel)."""

from .choices import BudgetType, Category, Duration, ExperienceLevel, LocationType
from .jobs import Job, JobTemplate
from .offers import Offer
from .proposals import JobInvitation, Proposal

__all__ = [
    "BudgetType",
    "Category",
    "Duration",
    "ExperienceLevel",
    "Job",
    "JobInvitation",
    "JobTemplate",
    "LocationType",
    "Offer",
    "Proposal",
]
