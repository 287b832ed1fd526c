"""Reads of contracts and milestones, already filtered to what the viewer may see: the contract's
freelancer and its client side (``marketplace.jobs.permissions.client_side_q``), staff, and an
organisation's read-only API keys for its own contracts."""

from django.db.models import Prefetch, Q, QuerySet

from marketplace.accounts.models import User
from marketplace.core.models import StatusChange
from marketplace.core.selectors import one_visible
from marketplace.jobs.permissions import client_side_q
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.permissions import ROLE_PERMISSIONS

from .models import Contract, Milestone, MilestoneSubmission


def _contract_queryset() -> QuerySet[Contract]:
    return Contract.objects.select_related(
        "job", "offer", "client", "freelancer", "freelancer__freelancer_profile", "organisation", "ended_by"
    ).prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("position")))


def contracts_visible_to(viewer) -> QuerySet[Contract]:
    contracts = _contract_queryset()
    if getattr(viewer, "is_staff", False):
        return contracts
    if not getattr(viewer, "is_authenticated", False):
        return Contract.objects.none()
    return contracts.filter(Q(freelancer=viewer) | client_side_q(viewer)).order_by("-started_at", "-id")


def contract_for_viewer(*, pk: int, viewer) -> Contract:
    return one_visible(contracts_visible_to(viewer), pk=pk, noun="contract")


def contracts_of(user: User) -> QuerySet[Contract]:
    """The user's own contracts, as the freelancer or on the client side (staff included)."""
    if not getattr(user, "is_authenticated", False):
        return Contract.objects.none()
    return (
        _contract_queryset().filter(Q(freelancer=user) | client_side_q(user)).order_by("-started_at", "-id")
    )


def active_contracts_of(user: User) -> QuerySet[Contract]:
    """The user's active contracts, on either side, with their milestones (the dashboard's)."""
    return contracts_of(user).filter(status=Contract.Status.ACTIVE)


def client_side_hold_ids(user: User) -> QuerySet:
    """Ids of the escrow holds of milestones on the user's client side (their own contracts as a
    client and their organisations'), for escrow's sums of what that side has put in."""
    if not getattr(user, "is_authenticated", False):
        return Milestone.objects.none().values("hold_id")
    return Milestone.objects.filter(client_side_q(user, "contract__"), hold__isnull=False).values("hold_id")


# The client-side roles that work with a contract's freelancer (post and sort the work, fund it,
# approve it): owners, hiring managers, finance. Viewers and admins see the contract, not the person.
WORKS_WITH_FREELANCER = frozenset({"manage_jobs", "make_offers", "fund_work", "approve_payments"})


def freelancers_contracted_by(viewer) -> QuerySet:
    """Ids of the freelancers whose profiles ``viewer`` may open because they have (or had) a contract
    with the viewer's side: the viewer's own contracts as a client, and their organisations' where
    their role works with the freelancer (``WORKS_WITH_FREELANCER``). Registered with accounts'
    ``profile_audiences``."""
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if granted & WORKS_WITH_FREELANCER]
    organisations = Membership.objects.filter(user=viewer, role__in=roles).values("organisation")
    own = Q(client=viewer, organisation__isnull=True)
    return Contract.objects.filter(own | Q(organisation__in=organisations)).values("freelancer_id")


def milestones_by_hold(hold_ids) -> dict[int, Milestone]:
    """The milestones (with their contracts) that these escrow holds pay for, by hold id, in one
    query. The holds come from a visibility-filtered escrow selector; so do their milestones."""
    milestones = Milestone.objects.filter(hold_id__in=list(hold_ids)).select_related(
        "contract", "contract__organisation"
    )
    return {milestone.hold_id: milestone for milestone in milestones}


def contract_history(contract: Contract) -> QuerySet[StatusChange]:
    """Every state change of the contract, its offer and its proposal, oldest first."""
    targets = (
        Q(target_type="contracts.contract", target_id=contract.pk)
        | Q(target_type="jobs.offer", target_id=contract.offer_id)
        | Q(target_type="jobs.proposal", target_id=contract.offer.proposal_id)
    )
    return StatusChange.objects.filter(targets).select_related("actor").order_by("created_at", "id")


def contracts_of_organisation(organisation: Organisation) -> QuerySet[Contract]:
    return _contract_queryset().filter(organisation=organisation).order_by("-started_at", "-id")


def contract_of_organisation(*, pk: int, organisation: Organisation) -> Contract:
    return one_visible(contracts_of_organisation(organisation), pk=pk, noun="contract")


def submission_files_visible_to(viewer) -> QuerySet:
    """Ids of the files handed in on contracts the viewer may see (the kernel's download asks)."""
    return MilestoneSubmission.attachments.through.objects.filter(
        milestonesubmission__milestone__contract__in=contracts_visible_to(viewer)
    ).values("storedfile_id")


def submission_files_of_organisation(organisation: Organisation) -> QuerySet:
    return MilestoneSubmission.attachments.through.objects.filter(
        milestonesubmission__milestone__contract__organisation=organisation
    ).values("storedfile_id")
