"""The jobs index: open jobs, for freelancers looking for work.

Document id: the job's primary key. A job belongs in the index while it is open (drafts, closed and
expired jobs are deleted from it). Its audience (``search.audience``): everyone when public; the
invited freelancers (invitation standing) when invite-only; when pool-only, the pool's members
and the holders of an override for the pool or the job (``talentpool:`` and ``pooljob:`` tokens:
the job's pool, else its organisation's default pool); always its poster, its organisation's
members, its hires and staff.

Budget: ``budget_low``/``budget_high`` are the fixed price twice, or the hourly range's ends, so
"budget at least X" is ``budget_high ≥ X`` and "at most Y" is ``budget_low ≤ Y`` for both kinds
(the same rule as ``jobs.selectors.jobs_matching``).
"""

from collections import defaultdict
from collections.abc import Sequence

from marketplace.jobs.models import Job, JobInvitation, Offer
from marketplace.organisations.models import TalentPool

from ..audience import PUBLIC, STAFF, member_token, pool_job_token, pool_token, user_token
from ..types import Document
from .base import Field, IndexDefinition, Kind, Sort, document

FIELDS = (
    Field("title", Kind.TEXT, boost=3.0, highlight=True, autocomplete=True),
    Field("skills_text", Kind.TEXT, boost=2.0),
    Field("description", Kind.TEXT, boost=1.0, highlight=True),
    Field("skills", Kind.KEYWORD, facet=True),
    Field("category", Kind.KEYWORD, facet=True),
    Field("budget_type", Kind.KEYWORD, facet=True),
    Field("location_type", Kind.KEYWORD, facet=True),
    Field("experience_level", Kind.KEYWORD, facet=True),
    Field("currency", Kind.KEYWORD),
    Field("budget_low", Kind.NUMBER),
    Field("budget_high", Kind.NUMBER),
    Field("client_rating", Kind.NUMBER),  # the rating freelancers gave the client side, 1-5
    Field("opened", Kind.NUMBER),
)
SORTS = (Sort("relevance"), Sort("newest", "opened", descending=True), Sort("distance"))


def _audience(job: Job, invitees: set[int], hires: set[int], default_pools: dict[int, int]) -> set[str]:
    audience = {STAFF, user_token(job.client_id), *(user_token(user) for user in hires)}
    if job.organisation_id:
        audience.add(member_token(job.organisation_id))
    if job.visibility == Job.Visibility.PUBLIC:
        audience.add(PUBLIC)
    elif job.visibility == Job.Visibility.INVITE_ONLY:
        audience.update(user_token(user) for user in invitees)
    elif job.visibility == Job.Visibility.POOL and job.organisation_id:
        pool_id = job.pool_id or default_pools.get(job.organisation_id)
        if pool_id is not None:
            audience.add(pool_token(pool_id))
        audience.add(pool_job_token(job.pk))
    return audience


def _client_rating(job: Job) -> float | None:
    owner = job.organisation if job.organisation_id else job.client
    scorecard = getattr(owner, "client_scorecard", None)
    if scorecard is None or not scorecard.rating_count or scorecard.rating_avg is None:
        return None
    return float(scorecard.rating_avg)


def job_documents(ids: Sequence[int]) -> list[Document]:
    """Documents for those of ``ids`` that belong in the index (four queries, whatever the count)."""
    jobs = list(
        Job.objects.filter(pk__in=list(ids), status=Job.Status.OPEN)
        .select_related("city", "client__client_scorecard", "organisation__client_scorecard")
        .prefetch_related("skills")
    )
    job_ids = [job.pk for job in jobs]
    invitees, hires = defaultdict(set), defaultdict(set)
    standing = JobInvitation.objects.filter(job_id__in=job_ids, status__in=JobInvitation.STANDING)
    for job_id, freelancer_id in standing.values_list("job_id", "freelancer_id"):
        invitees[job_id].add(freelancer_id)
    accepted = Offer.objects.filter(job_id__in=job_ids, status=Offer.Status.ACCEPTED)
    for job_id, freelancer_id in accepted.values_list("job_id", "freelancer_id"):
        hires[job_id].add(freelancer_id)
    # Pool jobs naming no pool (posted before pools were several) belong to the default pool: one
    # more query, only when there are such jobs.
    unnamed = {
        job.organisation_id for job in jobs if job.visibility == Job.Visibility.POOL and not job.pool_id
    }
    default_pools = dict(
        TalentPool.objects.filter(organisation_id__in=unnamed, is_default=True).values_list(
            "organisation_id", "pk"
        )
        if unnamed
        else ()
    )
    documents = []
    for job in jobs:
        skills = sorted(job.skills.all(), key=lambda skill: skill.name)
        if job.budget_type == Job.BudgetType.FIXED:
            low = high = job.budget_minor
        else:
            low, high = job.hourly_min_minor, job.hourly_max_minor
        fields = {
            "title": job.title,
            "skills_text": " ".join(skill.name for skill in skills),
            "description": job.description,
            "skills": tuple(skill.slug for skill in skills),
            "category": job.category,
            "budget_type": job.budget_type,
            "location_type": job.location_type,
            "experience_level": job.experience_level,
            "currency": job.currency,
            "budget_low": low,
            "budget_high": high,
            "client_rating": _client_rating(job),
            "opened": int(job.opened_at.timestamp()) if job.opened_at else None,
        }
        on_site = job.location_type != Job.LocationType.REMOTE and job.city is not None
        location = (job.city.latitude, job.city.longitude) if on_site else None
        audience = _audience(job, invitees[job.pk], hires[job.pk], default_pools)
        documents.append(document(id=job.pk, fields=fields, audience=audience, location=location))
    return documents


def job_indexable_ids():
    return Job.objects.filter(status=Job.Status.OPEN).order_by("pk").values_list("pk", flat=True)


def jobs_index() -> IndexDefinition:
    return IndexDefinition(
        name="jobs",
        fields=FIELDS,
        sorts=SORTS,
        documents=job_documents,
        indexable_ids=job_indexable_ids,
    )
