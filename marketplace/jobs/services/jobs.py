"""Posting, editing, publishing and closing jobs, and job templates."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import City, Skill, User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.markdown import markdown_to_safe_html
from marketplace.core.transitions import transition
from marketplace.organisations.models import Organisation, TalentPool

from ..models import Job, JobTemplate, Offer, Proposal
from ..permissions import require_client_side, require_job_control
from ..public_lists import FIND_WORK

# The fields a job form carries (and a template stores); "skills" is a list of skill ids.
JOB_FIELDS = (
    "title",
    "description",
    "category",
    "skills",
    "budget_type",
    "currency",
    "budget_minor",
    "hourly_min_minor",
    "hourly_max_minor",
    "duration",
    "experience_level",
    "location_type",
    "city",
    "radius_km",
    "visibility",
    "pool",
    "hires_wanted",
)
MAX_SKILLS = 15
# Upper bounds are typo guards, not policies, and keep each value inside its column's range.
MAX_BUDGET_MINOR = 100_000_000_00  # 100 million in major units
MAX_HOURLY_MINOR = 1_000_000_00  # a million an hour (the rate columns are 32-bit)
MAX_RADIUS_KM = 20_000
NUMBER_LIMITS = {
    "budget_minor": MAX_BUDGET_MINOR,
    "hourly_min_minor": MAX_HOURLY_MINOR,
    "hourly_max_minor": MAX_HOURLY_MINOR,
    "radius_km": MAX_RADIUS_KM,
}


def _choice(fields: dict, errors: dict, name: str, choices) -> None:
    if fields.get(name) not in choices.values:
        errors[name] = [f"Choose one of: {', '.join(choices.values)}."]


def _cleaned_job_fields(raw: dict, *, organisation: Organisation | None) -> tuple[dict, list[Skill]]:
    """Validate a job's fields as a whole; raise ``InvalidInput`` listing every problem."""
    fields = {name: raw.get(name) for name in JOB_FIELDS}
    errors: dict[str, list[str]] = {}
    fields["title"] = (fields["title"] or "").strip()
    fields["description"] = (fields["description"] or "").strip()
    if not 5 <= len(fields["title"]) <= 120:
        errors["title"] = ["Give the job a title of 5 to 120 characters."]
    if not 20 <= len(fields["description"]) <= 20_000:
        errors["description"] = ["Describe the work in 20 to 20,000 characters."]
    _choice(fields, errors, "category", Job.Category)
    _choice(fields, errors, "budget_type", Job.BudgetType)
    _choice(fields, errors, "duration", Job.Duration)
    _choice(fields, errors, "experience_level", Job.ExperienceLevel)
    fields["location_type"] = fields["location_type"] or Job.LocationType.REMOTE
    _choice(fields, errors, "location_type", Job.LocationType)
    fields["visibility"] = fields["visibility"] or Job.Visibility.PUBLIC
    _choice(fields, errors, "visibility", Job.Visibility)
    if fields["currency"] not in settings.CURRENCIES:
        errors["currency"] = [f"Choose one of: {', '.join(settings.CURRENCIES)}."]
    for name, limit in NUMBER_LIMITS.items():
        value = fields[name]
        if value in ("", None):
            fields[name] = None
        elif not isinstance(value, int) or isinstance(value, bool) or not 0 < value <= limit:
            errors[name] = [f"Enter a positive whole number up to {limit}."]
    if fields["budget_type"] == Job.BudgetType.FIXED:
        if fields["budget_minor"] is None and "budget_minor" not in errors:
            errors["budget_minor"] = ["A fixed-price job needs a budget."]
        fields["hourly_min_minor"] = fields["hourly_max_minor"] = None
    elif fields["budget_type"] == Job.BudgetType.HOURLY:
        low, high = fields["hourly_min_minor"], fields["hourly_max_minor"]
        if low is None and "hourly_min_minor" not in errors:
            errors["hourly_min_minor"] = ["An hourly job needs a rate range."]
        if high is None and "hourly_max_minor" not in errors:
            errors["hourly_max_minor"] = ["An hourly job needs a rate range."]
        if low and high and high < low:
            errors["hourly_max_minor"] = ["The highest rate must not be below the lowest."]
        fields["budget_minor"] = None
    city = None
    if fields["location_type"] == Job.LocationType.ONSITE:
        city = City.objects.filter(pk=fields["city"]).first() if fields["city"] else None
        if city is None:
            errors["city"] = ["An on-site job needs a city from the list."]
        if fields["radius_km"] is None and "radius_km" not in errors:
            fields["radius_km"] = 25
    else:
        fields["radius_km"] = None
    fields["city"] = city
    if fields["visibility"] == Job.Visibility.POOL and organisation is None:
        errors["visibility"] = ["Only an organisation's job can be limited to its talent pool."]
    fields["pool"] = _pool_of(fields, errors, organisation)
    hires = fields["hires_wanted"] if fields["hires_wanted"] not in ("", None) else 1
    if not isinstance(hires, int) or isinstance(hires, bool) or not 1 <= hires <= 50:
        errors["hires_wanted"] = ["Hire between 1 and 50 freelancers."]
    fields["hires_wanted"] = hires
    skill_ids = fields.pop("skills") or []
    skills = list(Skill.objects.filter(pk__in=skill_ids)) if isinstance(skill_ids, list | tuple) else []
    if len(skills) != len(set(skill_ids or [])) or not isinstance(skill_ids, list | tuple):
        errors["skills"] = ["Choose skills from the list."]
    elif len(skills) > MAX_SKILLS:
        errors["skills"] = [f"Choose at most {MAX_SKILLS} skills."]
    if errors:
        raise InvalidInput("The job has problems; see the fields.", code="invalid_job", fields=errors)
    fields["description_html"] = markdown_to_safe_html(fields["description"])
    return fields, skills


def _pool_of(fields: dict, errors: dict, organisation: Organisation | None) -> TalentPool | None:
    """A pool-only job's pool: the one chosen, which must be the organisation's, else its default
    pool. Other visibilities name none."""
    if fields["visibility"] != Job.Visibility.POOL or organisation is None:
        return None
    pools = TalentPool.objects.filter(organisation=organisation)
    chosen = fields["pool"]
    if chosen in ("", None):
        return pools.filter(is_default=True).first()
    try:
        pool = pools.filter(pk=int(chosen)).first()
    except (TypeError, ValueError):
        pool = None
    if pool is None:
        errors["pool"] = ["Choose one of your organisation's pools."]
    return pool


def _schedule_expiry(job: Job, now) -> dict:
    return {
        "opened_at": now,
        "expires_at": now + timedelta(days=settings.JOB_OPEN_DAYS),
        "expiry_warned_at": None,
    }


@transaction.atomic
def job_create(
    *, acting_user: User, organisation: Organisation | None = None, fields: dict, publish: bool = False
) -> Job:
    """A new job, as a draft or at once open. For an organisation it needs ``manage_jobs``."""
    if organisation is not None:
        require_client_side(
            acting_user, client_id=acting_user.pk, organisation=organisation, codename="manage_jobs"
        )
    else:
        require_client_side(acting_user, client_id=acting_user.pk, organisation=None, codename="manage_jobs")
        if not acting_user.is_client:
            raise PermissionDenied(
                "Turn on hiring in your account settings to post jobs.", code="not_a_client"
            )
    cleaned, skills = _cleaned_job_fields(fields, organisation=organisation)
    job = Job.objects.create(client=acting_user, organisation=organisation, **cleaned)
    job.skills.set(skills)
    if publish:
        job = transition(
            job, Job.Status.OPEN, actor=acting_user, reason="Posted", **_schedule_expiry(job, timezone.now())
        )
    return job


@transaction.atomic
def job_update(*, acting_user: User, job: Job, fields: dict) -> Job:
    """Edit a draft or open job. Once proposals exist, the currency and pay type stay as they were."""
    require_job_control(acting_user, job)
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if locked.status in Job.TERMINAL:
        raise Conflict(
            f"This job is {locked.get_status_display().lower()}; it cannot be edited.",
            code="job_not_editable",
        )
    cleaned, skills = _cleaned_job_fields(fields, organisation=locked.organisation)
    if locked.proposals.exists() and (
        cleaned["currency"] != locked.currency or cleaned["budget_type"] != locked.budget_type
    ):
        raise Conflict(
            "Freelancers have already proposed on these terms: the currency and pay type cannot change.",
            code="job_has_proposals",
        )
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    locked.skills.set(skills)
    return locked


@transaction.atomic
def job_publish(*, acting_user: User, job: Job) -> Job:
    require_job_control(acting_user, job)
    return transition(
        job, Job.Status.OPEN, actor=acting_user, reason="Posted", **_schedule_expiry(job, timezone.now())
    )


def _withdraw_live_offers(job: Job, *, actor, reason: str) -> None:
    """A job that closes takes its unanswered offers with it (their proposals return to the shortlist)."""
    for offer in Offer.objects.filter(job=job, status=Offer.Status.SENT).order_by("pk"):
        transition(offer, Offer.Status.WITHDRAWN, actor=actor, reason=reason, responded_at=timezone.now())
        transition(offer.proposal, Proposal.Status.SHORTLISTED, actor=actor, reason=reason)


def job_close_locked(job: Job, *, actor, reason: str) -> Job:
    """Close a job inside the caller's transaction (used by hiring, too)."""
    closed = transition(job, Job.Status.CLOSED, actor=actor, reason=reason, closed_at=timezone.now())
    _withdraw_live_offers(closed, actor=actor, reason=f"The job was closed: {reason}")
    return closed


@transaction.atomic
def job_close(*, acting_user: User, job: Job, reason: str = "") -> Job:
    require_job_control(acting_user, job)
    return job_close_locked(job, actor=acting_user, reason=reason.strip()[:500] or "Closed by the client")


@transaction.atomic
def job_expire(*, job_id: int) -> Job | None:
    """The periodic task's move: an open job whose time ran out becomes expired."""
    job = Job.objects.filter(pk=job_id, status=Job.Status.OPEN, expires_at__lte=timezone.now()).first()
    if job is None:
        return None
    expired = transition(
        job, Job.Status.EXPIRED, reason=f"Open for {settings.JOB_OPEN_DAYS} days", closed_at=timezone.now()
    )
    _withdraw_live_offers(expired, actor=None, reason="The job expired")
    return expired


@transaction.atomic
def job_expiry_warn(*, job_id: int) -> bool:
    """Mark the warning sent (once) and announce it after commit; False if not due."""
    from ..events import job_expiring_soon

    due_before = timezone.now() + timedelta(days=settings.JOB_EXPIRY_WARNING_DAYS)
    updated = Job.objects.filter(
        pk=job_id, status=Job.Status.OPEN, expiry_warned_at__isnull=True, expires_at__lte=due_before
    ).update(expiry_warned_at=timezone.now())
    if updated:
        FIND_WORK.changed()  # update() sends no signal; lists do not show the mark today, but may
        transaction.on_commit(partial(job_expiring_soon.send, sender=Job, job_id=job_id))
    return bool(updated)


def job_fields(job: Job) -> dict:
    """A job's form fields, as a template stores them."""
    fields = {name: getattr(job, name) for name in JOB_FIELDS if name not in ("skills", "city", "pool")}
    fields["skills"] = sorted(job.skills.values_list("pk", flat=True))
    fields["city"] = job.city_id
    fields["pool"] = job.pool_id
    return fields


@transaction.atomic
def job_template_save(*, acting_user: User, job: Job, name: str) -> JobTemplate:
    """Save a job's fields under a name, for the poster (and their organisation)."""
    require_job_control(acting_user, job)
    name = name.strip()
    if not 1 <= len(name) <= 120:
        raise InvalidInput(
            "Name the template (up to 120 characters).",
            code="invalid_template",
            fields={"name": ["Required."]},
        )
    template = JobTemplate.objects.create(
        owner=acting_user, organisation=job.organisation, name=name, fields=job_fields(job)
    )
    audit_record(
        actor=acting_user,
        action="job_template.saved",
        target=template,
        summary=f"Template “{name}” from job {job.pk}",
    )
    return template


@transaction.atomic
def job_template_delete(*, acting_user: User, template: JobTemplate) -> None:
    if template.organisation_id:
        require_client_side(
            acting_user,
            client_id=template.owner_id,
            organisation=template.organisation,
            codename="manage_jobs",
        )
    elif template.owner_id != acting_user.pk:
        raise NotFound("No such template.", code="template_not_found")
    template.delete()
