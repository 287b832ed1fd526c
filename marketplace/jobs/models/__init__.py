"""Jobs, templates, attachments, invitations, proposals, offers, contracts and milestones."""

from .choices import BudgetType, Category, Duration, ExperienceLevel, LocationType
from .contracts import Contract, Milestone, MilestoneSubmission, Offer
from .jobs import Attachment, Job, JobTemplate
from .proposals import JobInvitation, Proposal

__all__ = [
    "Attachment",
    "BudgetType",
    "Category",
    "Contract",
    "Duration",
    "ExperienceLevel",
    "Job",
    "JobInvitation",
    "JobTemplate",
    "LocationType",
    "Milestone",
    "MilestoneSubmission",
    "Offer",
    "Proposal",
]
