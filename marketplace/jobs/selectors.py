"""Reads, already filtered to what the viewer may see.

A job is visible to: staff; its client side (the poster, or any member of its organisation) in
every state; and otherwise only once it is no longer a draft —
- public: everyone, anonymous visitors included;
- invite-only: the freelancers invited to it, while the invitation stands (not declined, not
  withdrawn);
- pool: the active members of the job's pool (no pool named: the organisation's default pool), and
  the members holding a granted, unexpired override for that pool or that job
  (``organisations.selectors.eligibility``; a suspended member sees none of them);
and, whatever its visibility and state, to the freelancers hired on it (an accepted offer: the
contract's job stays theirs to see after their pool membership ends or the job closes).
Everyone else gets a 404, as if the job did not exist. Proposals and offers are visible to their
freelancer and the client side (``permissions.client_side_q``).
"""

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, Exists, F, Func, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from marketplace.accounts.models import FreelancerReputation, User
from marketplace.core.models import StatusChange
from marketplace.core.selectors import one_visible
from marketplace.organisations.models import Membership, Organisation
from marketplace.organisations.selectors.eligibility import (
    default_pool_organisations_open_to,
    job_override_job_ids,
    pool_ids_open_to,
)

from .models import Job, JobInvitation, JobTemplate, Offer, Proposal
from .permissions import client_side_q, is_client_side


def jobs_visible_to(viewer) -> QuerySet[Job]:
    jobs = Job.objects.all()
    if getattr(viewer, "is_staff", False):
        return jobs
    published = ~Q(status=Job.Status.DRAFT)
    public = Q(published, visibility=Job.Visibility.PUBLIC)
    if not getattr(viewer, "is_authenticated", False):
        return jobs.filter(public)
    # ``IN`` over the viewer's own rows (hashed once per query), not a test per job: the planner then
    # costs the list's count for what it is, a scan of the open jobs (an EXISTS per row priced it
    # high enough to set off PostgreSQL's JIT, a second of compiling on every count).
    invited = Q(
        published,
        pk__in=JobInvitation.objects.filter(freelancer=viewer, status__in=JobInvitation.STANDING).values(
            "job_id"
        ),
        visibility=Job.Visibility.INVITE_ONLY,
    )
    in_pool = Q(published, visibility=Job.Visibility.POOL) & (
        Q(pool__in=pool_ids_open_to(viewer))
        | Q(pool__isnull=True, organisation__in=default_pool_organisations_open_to(viewer))
        | Q(pk__in=job_override_job_ids(viewer))
    )
    hired = Q(pk__in=Offer.objects.filter(freelancer=viewer, status=Offer.Status.ACCEPTED).values("job_id"))
    return jobs.filter(public | invited | in_pool | hired | client_side_q(viewer))


def _job_list_queryset(jobs: QuerySet[Job]) -> QuerySet[Job]:
    return jobs.select_related("client", "organisation", "city").prefetch_related("skills")


def _job_detail(jobs: QuerySet[Job], pk: int) -> Job:
    return one_visible(
        _job_list_queryset(jobs)
        .select_related("client__client_scorecard", "organisation__client_scorecard")
        .prefetch_related("attachments")
        .annotate(proposal_count=Count("proposals", distinct=True)),
        pk=pk,
        noun="job",
    )


def job_for_viewer(*, pk: int, viewer) -> Job:
    return _job_detail(jobs_visible_to(viewer), pk)


def jobs_open_for(viewer) -> QuerySet[Job]:
    """Find work: open jobs the viewer may see, newest first.

    Plain rows, no joins or annotations, so that a page's count and ids are read from the
    ``(status, visibility, opened_at, id)`` and ``(status, opened_at, id)`` indexes with the LIMIT,
    whatever the table's size; page over its ids and load the page with ``job_rows``.
    """
    return jobs_visible_to(viewer).filter(status=Job.Status.OPEN).order_by("-opened_at", "-id")


def job_rows(ids: Iterable[int], *, within: QuerySet[Job] | None = None) -> list[Job]:
    """A page of jobs by id, in the order given, with what a list shows: client, organisation and
    city (one query, the proposals counted per row in it), and skills (one more). ``within``: only
    those of these rows (a visibility selector's), checked in the same query."""
    ids = list(ids)
    proposals = Proposal.objects.filter(job=OuterRef("pk")).order_by()
    count = Subquery(proposals.annotate(n=Func(F("pk"), function="COUNT")).values("n"))
    jobs = Job.objects.all() if within is None else within
    rows = _job_list_queryset(jobs.filter(pk__in=ids)).annotate(proposal_count=count)
    by_id = {job.pk: job for job in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


def jobs_matching(
    jobs: QuerySet[Job],
    *,
    skills=(),
    budget_type: str = "",
    location_type: str = "",
    category: str = "",
    currency: str = "",
    budget_min: int | None = None,
    budget_max: int | None = None,
    q: str = "",
) -> QuerySet[Job]:
    """Find-work filters over already visible jobs; empty values do not filter.

    ``skills``: jobs with any of them. The budget bounds are minor units: a fixed-price job matches
    by its budget, an hourly job when its rate range reaches into ``[budget_min, budget_max]``.
    """
    if skills:
        tagged = Job.skills.through.objects.filter(job=OuterRef("pk"), skill__in=list(skills))
        jobs = jobs.filter(Exists(tagged))
    exact = {"budget_type": budget_type, "location_type": location_type, "category": category}
    jobs = jobs.filter(**{name: value for name, value in exact.items() if value})
    if currency:
        jobs = jobs.filter(currency=currency.upper())
    fixed, hourly = Q(budget_type=Job.BudgetType.FIXED), Q(budget_type=Job.BudgetType.HOURLY)
    if budget_min is not None:
        jobs = jobs.filter(
            Q(fixed, budget_minor__gte=budget_min) | Q(hourly, hourly_max_minor__gte=budget_min)
        )
    if budget_max is not None:
        jobs = jobs.filter(
            Q(fixed, budget_minor__lte=budget_max) | Q(hourly, hourly_min_minor__lte=budget_max)
        )
    if q.strip():
        jobs = jobs.filter(title__icontains=q.strip())
    return jobs


def jobs_posted_by_client_of(job: Job, *, viewer) -> int:
    """How many jobs the job's client side has posted (published), counting only those ``viewer``
    may see: an organisation's jobs for an organisation's job, else the client's own."""
    posted = jobs_visible_to(viewer).exclude(status=Job.Status.DRAFT)
    if job.organisation_id:
        return posted.filter(organisation_id=job.organisation_id).count()
    return posted.filter(client_id=job.client_id, organisation__isnull=True).count()


def daily_proposal_cap(user: User) -> int:
    """New proposals the freelancer may send per UTC day. It grows with reputation (PRODUCT.md): a
    published job success score (``FreelancerReputation``, computed by the reviews app) at or above
    a tier's score of ``PROPOSAL_DAILY_CAP_BY_JSS`` gives that tier's cap, the highest tier reached
    first; no score (fewer than ``JSS_MIN_ENDED_CONTRACTS`` ended contracts) or one below every tier
    gives ``PROPOSAL_DAILY_CAP``."""
    score = FreelancerReputation.objects.filter(user=user).values_list("job_success_score", flat=True).first()
    if score is not None:
        for least, cap in sorted(settings.PROPOSAL_DAILY_CAP_BY_JSS, reverse=True):
            if score >= least:
                return cap
    return settings.PROPOSAL_DAILY_CAP


def jobs_of_client(user: User) -> QuerySet[Job]:
    """My jobs: those I posted and those of my organisations, every state."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    return _client_jobs(Job.objects.filter(client_side_q(user)))


def _client_jobs(jobs: QuerySet[Job]) -> QuerySet[Job]:
    return (
        _job_list_queryset(jobs)
        .annotate(
            proposal_count=Count("proposals", distinct=True),
            contract_count=Count("contracts", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def _proposal_queryset() -> QuerySet[Proposal]:
    return Proposal.objects.select_related(
        "job", "freelancer", "freelancer__freelancer_profile"
    ).prefetch_related("attachments")


def proposals_for_job(*, job: Job, viewer) -> QuerySet[Proposal]:
    """The client side sees every proposal on its job; anyone else sees none (staff all)."""
    if not (getattr(viewer, "is_staff", False) or is_client_side(viewer, job)):
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
    return _proposal_queryset().filter(Q(freelancer=viewer) | client_side_q(viewer, "job__"))


def proposal_for_viewer(*, pk: int, viewer) -> Proposal:
    return one_visible(proposals_visible_to(viewer), pk=pk, noun="proposal")


def proposal_of_freelancer_for_job(*, job: Job, freelancer) -> Proposal | None:
    if not getattr(freelancer, "is_authenticated", False):
        return None
    return Proposal.objects.filter(job=job, freelancer=freelancer).first()


def invitation_of_freelancer_for_job(*, job: Job, freelancer) -> JobInvitation | None:
    if not getattr(freelancer, "is_authenticated", False):
        return None
    return JobInvitation.objects.filter(job=job, freelancer=freelancer).select_related("invited_by").first()


def invitations_of(freelancer: User) -> QuerySet[JobInvitation]:
    """The freelancer's invitations, answered or not, except those the client withdrew."""
    if not getattr(freelancer, "is_authenticated", False):
        return JobInvitation.objects.none()
    return (
        _invitation_queryset()
        .filter(freelancer=freelancer)
        .exclude(status=JobInvitation.Status.WITHDRAWN)
        .order_by("-created_at", "-id")
    )


def _invitation_queryset() -> QuerySet[JobInvitation]:
    return JobInvitation.objects.select_related(
        "job",
        "job__client",
        "job__organisation",
        "invited_by",
        "freelancer",
        "freelancer__freelancer_profile",
    )


def invitations_for_job(*, job: Job, viewer) -> QuerySet[JobInvitation]:
    if not (getattr(viewer, "is_staff", False) or is_client_side(viewer, job)):
        return JobInvitation.objects.none()
    return _invitation_queryset().filter(job=job).order_by("-created_at", "-id")


def invitation_for_freelancer(*, pk: int, viewer) -> JobInvitation:
    return one_visible(invitations_of(viewer), pk=pk, noun="invitation")


def invitation_for_client_side(*, job: Job, pk: int, viewer) -> JobInvitation:
    """One of the job's invitations, for its client side (a 404 for anyone else)."""
    return one_visible(invitations_for_job(job=job, viewer=viewer), pk=pk, noun="invitation")


def _offer_queryset() -> QuerySet[Offer]:
    return Offer.objects.select_related(
        "job",
        "proposal",
        "client",
        "freelancer",
        "freelancer__freelancer_profile",
        "organisation",
        "contract",
    )


def offers_visible_to(viewer) -> QuerySet[Offer]:
    offers = _offer_queryset()
    if getattr(viewer, "is_staff", False):
        return offers
    if not getattr(viewer, "is_authenticated", False):
        return Offer.objects.none()
    return offers.filter(Q(freelancer=viewer) | client_side_q(viewer))


def offer_for_viewer(*, pk: int, viewer) -> Offer:
    return one_visible(offers_visible_to(viewer), pk=pk, noun="offer")


def offers_of(user: User, *, role: str | None = None) -> QuerySet[Offer]:
    """The user's own offers (staff included): received as the freelancer (``role="freelancer"``),
    sent from their client side (``role="client"``), or both."""
    if not getattr(user, "is_authenticated", False):
        return Offer.objects.none()
    received, sent = Q(freelancer=user), client_side_q(user)
    where = {"freelancer": received, "client": sent}.get(role or "", received | sent)
    return _offer_queryset().filter(where).order_by("-sent_at", "-id")


def offers_waiting_for(freelancer: User) -> QuerySet[Offer]:
    """Offers the freelancer has not answered yet and that have not run out, soonest to expire first."""
    return (
        offers_of(freelancer, role="freelancer")
        .filter(status=Offer.Status.SENT, expires_at__gt=timezone.now())
        .order_by("expires_at", "id")
    )


def invitations_waiting_for(freelancer: User) -> QuerySet[JobInvitation]:
    """Invitations to open jobs the freelancer has not answered (by proposing or declining) yet."""
    return invitations_of(freelancer).filter(status=JobInvitation.Status.SENT, job__status=Job.Status.OPEN)


def open_jobs_to_review(user: User) -> QuerySet[Job]:
    """The open jobs of the user's client side (their own and their organisations'), each with
    ``new_proposals`` (submitted, not yet shortlisted, archived or answered): most waiting first."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    new = Q(proposals__status=Proposal.Status.SUBMITTED)
    return (
        Job.objects.filter(client_side_q(user), status=Job.Status.OPEN)
        .select_related("organisation")
        .annotate(new_proposals=Count("proposals", filter=new))
        .order_by("-new_proposals", "-opened_at", "-id")
    )


def job_last_status_change(job: Job) -> StatusChange | None:
    """The job's latest state change (for a closed job: who closed it, when and why), with its actor;
    one query on the (target_type, target_id, created_at) index."""
    changes = StatusChange.objects.filter(target_type="jobs.job", target_id=job.pk)
    return changes.select_related("actor").order_by("-created_at", "-id").first()


def job_ending(job: Job) -> dict | None:
    """How a closed or expired job ended, for the note under its title: when, by whom and why (its
    last state change); None while it is a draft or open, so those pages make no query for it."""
    if job.status not in (Job.Status.CLOSED, Job.Status.EXPIRED):
        return None
    change = job_last_status_change(job)
    if change is None or change.to_status != job.status:
        return {"at": job.closed_at, "actor": None, "reason": "", "hired": False}
    # A job closes with an actor from outside its client side only when a freelancer's accept fills it.
    hired = (
        job.status == Job.Status.CLOSED and change.actor is not None and not is_client_side(change.actor, job)
    )
    return {"at": change.created_at, "actor": change.actor, "reason": change.reason, "hired": hired}


def job_files_visible_to(viewer) -> QuerySet:
    """Ids of the files on jobs the viewer may see (the kernel's download asks)."""
    return Job.attachments.through.objects.filter(job__in=jobs_visible_to(viewer)).values("storedfile_id")


def proposal_files_visible_to(viewer) -> QuerySet:
    return Proposal.attachments.through.objects.filter(proposal__in=proposals_visible_to(viewer)).values(
        "storedfile_id"
    )


def job_templates_for(user: User) -> QuerySet[JobTemplate]:
    """Templates the user saved, and those saved for organisations the user belongs to."""
    if not getattr(user, "is_authenticated", False):
        return JobTemplate.objects.none()
    in_orgs = Exists(Membership.objects.filter(organisation=OuterRef("organisation"), user=user))
    return JobTemplate.objects.filter(Q(owner=user) | Q(in_orgs, organisation__isnull=False)).select_related(
        "organisation", "owner"
    )


def job_template_for(*, pk: int, user: User) -> JobTemplate:
    return one_visible(job_templates_for(user), pk=pk, noun="template")


# --- An organisation's own rows, for its read-only API keys -------------------------------------------
# A key reads what the organisation's client side sees: its jobs (every state) and what hangs off them.


def jobs_of_organisation(organisation: Organisation) -> QuerySet[Job]:
    return _client_jobs(Job.objects.filter(organisation=organisation))


def job_of_organisation(*, pk: int, organisation: Organisation) -> Job:
    return _job_detail(Job.objects.filter(organisation=organisation), pk)


def job_of_organisation_or_public(*, pk: int, organisation: Organisation) -> Job:
    """For a key: one of the organisation's jobs (every state), or a job anonymous visitors see."""
    public = Q(pk__in=jobs_visible_to(None).values("pk"))
    return _job_detail(Job.objects.filter(Q(organisation=organisation) | public), pk)


def job_files_of_organisation(organisation: Organisation) -> QuerySet:
    return Job.attachments.through.objects.filter(job__organisation=organisation).values("storedfile_id")


def proposal_files_of_organisation(organisation: Organisation) -> QuerySet:
    return Proposal.attachments.through.objects.filter(proposal__job__organisation=organisation).values(
        "storedfile_id"
    )


def proposals_of_organisation(organisation: Organisation) -> QuerySet[Proposal]:
    return _proposal_queryset().filter(job__organisation=organisation).order_by("-created_at", "-id")


def proposal_of_organisation(*, pk: int, organisation: Organisation) -> Proposal:
    return one_visible(proposals_of_organisation(organisation), pk=pk, noun="proposal")


def invitations_of_organisation(organisation: Organisation) -> QuerySet[JobInvitation]:
    return _invitation_queryset().filter(job__organisation=organisation).order_by("-created_at", "-id")


def offers_of_organisation(organisation: Organisation) -> QuerySet[Offer]:
    return _offer_queryset().filter(organisation=organisation).order_by("-sent_at", "-id")


def offer_of_organisation(*, pk: int, organisation: Organisation) -> Offer:
    return one_visible(offers_of_organisation(organisation), pk=pk, noun="offer")


def job_templates_of_organisation(organisation: Organisation) -> QuerySet[JobTemplate]:
    return JobTemplate.objects.filter(organisation=organisation).select_related("organisation", "owner")


def job_template_of_organisation(*, pk: int, organisation: Organisation) -> JobTemplate:
    return one_visible(job_templates_of_organisation(organisation), pk=pk, noun="template")
