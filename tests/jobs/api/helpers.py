"""The state a jobs or contracts API test must not change (the client helpers are tests.support.api)."""

from marketplace.contracts.models import Contract
from marketplace.core.models import StatusChange, StoredFile
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal


def snapshot() -> dict:
    """Every jobs row's state, to show that a refused request changed nothing."""
    return {
        "jobs": sorted(Job.objects.values_list("pk", "status", "title", "updated_at")),
        "proposals": sorted(Proposal.objects.values_list("pk", "status", "amount_minor", "updated_at")),
        "invitations": sorted(JobInvitation.objects.values_list("pk", "status")),
        "offers": sorted(Offer.objects.values_list("pk", "status")),
        "contracts": sorted(Contract.objects.values_list("pk", "status")),
        "attachments": sorted(StoredFile.objects.values_list("pk", flat=True)),
        "status_changes": StatusChange.objects.count(),
    }
