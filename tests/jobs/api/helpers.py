"""Helpers for the jobs API tests: one logged-in client per person, and the state a test must not change."""

from rest_framework.test import APIClient

from marketplace.core.models import StatusChange
from marketplace.jobs.models import Attachment, Contract, Job, JobInvitation, Offer, Proposal
from tests.accounts.api.helpers import assert_error, make_api_key, with_key

__all__ = ["as_user", "assert_error", "make_api_key", "snapshot", "with_key"]


def as_user(user) -> APIClient:
    """A fresh API client logged in as ``user`` (None: anonymous)."""
    api = APIClient()
    if user is not None:
        api.force_login(user)
    return api


def snapshot() -> dict:
    """Every jobs row's state, to show that a refused request changed nothing."""
    return {
        "jobs": sorted(Job.objects.values_list("pk", "status", "title", "updated_at")),
        "proposals": sorted(Proposal.objects.values_list("pk", "status", "amount_minor", "updated_at")),
        "invitations": sorted(JobInvitation.objects.values_list("pk", "status")),
        "offers": sorted(Offer.objects.values_list("pk", "status")),
        "contracts": sorted(Contract.objects.values_list("pk", "status")),
        "attachments": sorted(Attachment.objects.values_list("pk", flat=True)),
        "status_changes": StatusChange.objects.count(),
    }
