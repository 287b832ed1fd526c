"""Reads, already filtered to what the viewer may see.

A job is visible to: staff; its client side (the poster, or any member of its organisation) in
every state; and otherwise only once it is no longer a draft —
- public: everyone, anonymous visitors included;
- invite-only: the freelancers invited to it;
- pool: the freelancers with an active membership in one of the organisation's pools.
Everyone else gets a 404, as if the job did not exist. Proposals, offers and contracts are
visible to their freelancer and the client side.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from marketplace.accounts.models import Membership, PoolMembership, User
from marketplace.core.exceptions import NotFound
from marketplace.core.models import StatusChange

from .models import Attachment, Contract, Job, JobInvitation, JobTemplate, Milestone, Offer, Proposal


def _client_side_q(viewer, prefix: str = "") -> Q:
    """Rows whose client side includes ``viewer``: the client, or a member of the organisation."""
    memberships = Membership.objects.filter(organisation=OuterRef(f"{prefix}organisation"), user=viewer)
    return Q(**{f"{prefix}client": viewer}) | Q(
        Exists(memberships), **{f"{prefix}organisation__isnull": False}
    )


def jobs_visible_to(viewer) -> QuerySet[Job]:
    jobs = Job.objects.all()
    if getattr(viewer, "is_staff", False):
        return jobs
    published = ~Q(status=Job.Status.DRAFT)
    public = Q(published, visibility=Job.Visibility.PUBLIC)
    if not getattr(viewer, "is_authenticated", False):
        return jobs.filter(public)
    invited = Q(
        Exists(JobInvitation.objects.filter(job=OuterRef("pk"), freelancer=viewer)),
        published,
        visibility=Job.Visibility.INVITE_ONLY,
    )
    in_pool = Q(
        Exists(
            PoolMembership.objects.filter(
                pool__organisation=OuterRef("organisation"),
                freelancer=viewer,
                status=PoolMembership.Status.ACTIVE,
            )
        ),
        published,
        visibility=Job.Visibility.POOL,
    )
    return jobs.filter(public | invited | in_pool | _client_side_q(viewer))


def _job_list_queryset(jobs: QuerySet[Job]) -> QuerySet[Job]:
    return jobs.select_related("client", "organisation", "city").prefetch_related("skills")


def job_for_viewer(*, pk: int, viewer) -> Job:
    job = (
        _job_list_queryset(jobs_visible_to(viewer))
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "id")))
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise NotFound("No such job.", code="job_not_found")
    return job


def jobs_open_for(viewer) -> QuerySet[Job]:
    """Find work: open jobs the viewer may see, newest first, with proposal counts."""
    return (
        _job_list_queryset(jobs_visible_to(viewer))
        .filter(status=Job.Status.OPEN)
        .annotate(proposal_count=Count("proposals", distinct=True))
        .order_by("-opened_at", "-id")
    )


def jobs_of_client(user: User) -> QuerySet[Job]:
    """My jobs: those I posted and those of my organisations, every state."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return (
        _job_list_queryset(Job.objects.filter(_client_side_q(user)))
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            contract_count=Count("contracts", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def is_client_side_of(job: Job, viewer) -> bool:
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == job.client_id:
        return True
    return (
        bool(job.organisation_id)
        and Membership.objects.filter(organisation_id=job.organisation_id, user=viewer).exists()
    )


def _proposal_queryset() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "job", "freelancer", "freelancer__freelancer_profile"
    ).prefetch_related("attachments")


def proposals_for_job(*, job: Job, viewer) -> QuerySet[Proposal]:
    """The client side sees every proposal on its job; anyone else sees none (staff all)."""
    if not (getattr(viewer, "is_staff", False) or is_client_side_of(job, viewer)):
        return Proposal.objects.none()
    return _proposal_queryset().filter(job=job).order_by("-created_at", "-id")


def proposals_of(freelancer: User) -> QuerySet[Proposal]:
    if not getattr(freelancer, "is_authenticated", False):
        return Proposal.objects.none()
    return (
        _proposal_queryset().select_related("job__organisation", "job__client").filter(freelancer=freelancer)
    ).order_by("-created_at", "-id")


def proposals_visible_to(viewer) -> QuerySet[Proposal]:
    if getattr(viewer, "is_staff", False):
        return _proposal_queryset()
    if not getattr(viewer, "is_authenticated", False):
        return Proposal.objects.none()
    return _proposal_queryset().filter(Q(freelancer=viewer) | _client_side_q(viewer, "job__"))


def proposal_for_viewer(*, pk: int, viewer) -> Proposal:
    proposal = proposals_visible_to(viewer).filter(pk=pk).first()
    if proposal is None:
        raise NotFound("No such proposal.", code="proposal_not_found")
    return proposal


def proposal_of_freelancer_for_job(*, job: Job, freelancer) -> Proposal | None:
    if not getattr(freelancer, "is_authenticated", False):
        return None
    return Proposal.objects.filter(job=job, freelancer=freelancer).first()


def invitations_of(freelancer: User) -> QuerySet[JobInvitation]:
    if not getattr(freelancer, "is_authenticated", False):
        return JobInvitation.objects.none()
    return (
        JobInvitation.objects.filter(freelancer=freelancer)
        .select_related("job", "job__client", "job__organisation", "invited_by")
        .order_by("-created_at", "-id")
    )


def invitations_for_job(*, job: Job, viewer) -> QuerySet[JobInvitation]:
    if not (getattr(viewer, "is_staff", False) or is_client_side_of(job, viewer)):
        return JobInvitation.objects.none()
    return JobInvitation.objects.filter(job=job).select_related(
        "freelancer", "freelancer__freelancer_profile"
    )


def invitation_for_freelancer(*, pk: int, viewer) -> JobInvitation:
    invitation = invitations_of(viewer).filter(pk=pk).first()
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    return invitation


def offers_visible_to(viewer) -> QuerySet[Offer]:
    offers = Offer.objects.select_related("job", "proposal", "client", "freelancer", "organisation")
    if getattr(viewer, "is_staff", False):
        return offers
    if not getattr(viewer, "is_authenticated", False):
        return Offer.objects.none()
    return offers.filter(Q(freelancer=viewer) | _client_side_q(viewer))


def offer_for_viewer(*, pk: int, viewer) -> Offer:
    offer = offers_visible_to(viewer).filter(pk=pk).first()
    if offer is None:
        raise NotFound("No such offer.", code="offer_not_found")
    return offer


def offers_received(freelancer: User) -> QuerySet[Offer]:
    return offers_visible_to(freelancer).filter(freelancer=freelancer).order_by("-sent_at", "-id")


def contracts_visible_to(viewer) -> QuerySet[Contract]:
    contracts = Contract.objects.select_related(
        "job", "client", "freelancer", "organisation"
    ).prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("position")))
    if getattr(viewer, "is_staff", False):
        return contracts
    if not getattr(viewer, "is_authenticated", False):
        return Contract.objects.none()
    return contracts.filter(Q(freelancer=viewer) | _client_side_q(viewer)).order_by("-started_at", "-id")


def contract_for_viewer(*, pk: int, viewer) -> Contract:
    contract = contracts_visible_to(viewer).filter(pk=pk).first()
    if contract is None:
        raise NotFound("No such contract.", code="contract_not_found")
    return contract


def contract_history(contract: Contract) -> QuerySet[StatusChange]:
    """Every state change of the contract, its offer and its proposal, oldest first."""
    targets = (
        Q(target_type="jobs.contract", target_id=contract.pk)
        | Q(target_type="jobs.offer", target_id=contract.offer_id)
        | Q(target_type="jobs.proposal", target_id=contract.offer.proposal_id)
    )
    return StatusChange.objects.filter(targets).select_related("actor").order_by("created_at", "id")


def job_templates_for(user: User) -> QuerySet[JobTemplate]:
    """Templates the user saved, and those saved for organisations the user belongs to."""
    if not getattr(user, "is_authenticated", False):
        return JobTemplate.objects.none()
    in_orgs = Exists(Membership.objects.filter(organisation=OuterRef("organisation"), user=user))
    return JobTemplate.objects.filter(Q(owner=user) | Q(in_orgs, organisation__isnull=False)).select_related(
        "organisation"
    )


def job_template_for(*, pk: int, user: User) -> JobTemplate:
    template = job_templates_for(user).filter(pk=pk).first()
    if template is None:
        raise NotFound("No such template.", code="template_not_found")
    return template
