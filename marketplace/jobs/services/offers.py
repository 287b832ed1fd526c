"""Offers: the client turns a proposal into terms with a fee breakdown; the freelancer declines (or
accepts, which ``marketplace.contracts`` turns into a contract); unanswered offers expire."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from escrow.fees import FeeBreakdown, schedule_breakdown
from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.core.transitions import transition
from marketplace.organisations.models import Organisation, TalentPool
from marketplace.organisations.selectors.eligibility import pool_job_refusal

from .. import events
from ..models import Job, Offer, Proposal
from ..permissions import require_job_control, require_offer_answerer, require_offer_control
from .proposals import MAX_AMOUNT_MINOR, fee_rates, milestones_cleaned


def offer_fee_preview(
    *, organisation: Organisation | None, amount_minor: int, milestones: list[dict] | None = None
) -> tuple[FeeBreakdown, list[FeeBreakdown]]:
    """The breakdown for the whole and for each milestone, as the offer form shows it."""
    client_bp, freelancer_bp = fee_rates(organisation)
    amounts = [m["amount_minor"] for m in milestones or []]
    return schedule_breakdown(amount_minor, amounts, client_fee_bp=client_bp, freelancer_fee_bp=freelancer_bp)


def offer_breakdown(offer: Offer) -> tuple[FeeBreakdown, list[FeeBreakdown]]:
    """The breakdown of a sent offer for the whole and each milestone, from its snapshotted rates."""
    return schedule_breakdown(
        offer.amount_minor,
        [m["amount_minor"] for m in offer.milestones],
        client_fee_bp=offer.client_fee_bp,
        freelancer_fee_bp=offer.freelancer_fee_bp,
    )


def _offer_terms(job: Job, *, title: str, amount_minor, milestones, weekly_hour_cap, message: str) -> dict:
    errors: dict[str, list[str]] = {}
    title = (title or "").strip() or job.title
    if len(title) > 120:
        errors["title"] = ["Up to 120 characters."]
    if (
        not isinstance(amount_minor, int)
        or isinstance(amount_minor, bool)
        or not 0 < amount_minor <= MAX_AMOUNT_MINOR
    ):
        errors["amount_minor"] = ["Enter a positive whole amount."]
    if job.budget_type == Job.BudgetType.HOURLY:
        if weekly_hour_cap in ("", None):
            weekly_hour_cap = 40
        if (
            not isinstance(weekly_hour_cap, int)
            or isinstance(weekly_hour_cap, bool)
            or not 1 <= weekly_hour_cap <= 80
        ):
            errors["weekly_hour_cap"] = ["Between 1 and 80 hours a week."]
    else:
        weekly_hour_cap = None
    if errors:
        raise InvalidInput("The offer has problems; see the fields.", code="invalid_offer", fields=errors)
    schedule = milestones_cleaned(
        milestones,
        budget_type=job.budget_type,
        amount_minor=amount_minor,
        default_title=title,
        currency=job.currency,
        client_fee_bp=fee_rates(job.organisation)[0],
    )
    return {
        "title": title,
        "amount_minor": amount_minor,
        "milestones": schedule,
        "weekly_hour_cap": weekly_hour_cap,
        "message": (message or "").strip()[:5000],
    }


def job_pool(job: Job) -> TalentPool | None:
    """A pool-only job's pool: the one it names, else (a job from before pools were several) the
    organisation's default pool. None for other jobs."""
    if job.visibility != Job.Visibility.POOL or job.organisation_id is None:
        return None
    if job.pool_id is not None:
        return job.pool
    return TalentPool.objects.filter(organisation_id=job.organisation_id, is_default=True).first()


def _refuse_ineligible(job: Job, freelancer_id: int) -> None:
    """A pool job is offered only to whom may see it: an active member of its pool, or one holding
    a granted, unexpired override for the pool or the job (409 ``worker_not_eligible``)."""
    pool = job_pool(job)
    if pool is None:
        return
    why = pool_job_refusal(worker_id=freelancer_id, pool=pool, job_id=job.pk)
    if why:
        raise Conflict(why, code="worker_not_eligible")


@transaction.atomic
def offer_send(
    *,
    acting_user: User,
    proposal: Proposal,
    title: str = "",
    amount_minor=None,
    milestones=None,
    weekly_hour_cap=None,
    message: str = "",
) -> Offer:
    """Offer the proposal's terms (or changed ones). Needs ``make_offers`` for an organisation's job."""
    job = proposal.job
    require_job_control(acting_user, job, "make_offers")
    job = Job.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=job.pk)
    if job.status != Job.Status.OPEN:
        raise Conflict(
            f"This job is {job.get_status_display().lower()}; no offers can be sent.", code="job_not_open"
        )
    _refuse_ineligible(job, proposal.freelancer_id)
    terms = _offer_terms(
        job,
        title=title,
        amount_minor=proposal.amount_minor if amount_minor is None else amount_minor,
        milestones=proposal.milestones if milestones is None and amount_minor is None else milestones,
        weekly_hour_cap=weekly_hour_cap,
        message=message,
    )
    locked = transition(proposal, Proposal.Status.OFFERED, actor=acting_user, reason="Offer sent")
    client_bp, freelancer_bp = fee_rates(job.organisation)
    offer = Offer.objects.create(
        proposal=locked,
        job=job,
        client=job.client,
        freelancer_id=locked.freelancer_id,
        organisation=job.organisation,
        budget_type=job.budget_type,
        currency=job.currency,
        client_fee_bp=client_bp,
        freelancer_fee_bp=freelancer_bp,
        expires_at=timezone.now() + timedelta(days=settings.OFFER_EXPIRY_DAYS),
        **terms,
    )
    transaction.on_commit(partial(events.offer_sent.send, sender=Offer, offer_id=offer.pk))
    return offer


@transaction.atomic
def offer_withdraw(*, acting_user: User, offer: Offer, reason: str = "") -> Offer:
    require_offer_control(acting_user, offer)
    withdrawn = transition(
        offer,
        Offer.Status.WITHDRAWN,
        actor=acting_user,
        reason=reason.strip()[:2000],
        responded_at=timezone.now(),
    )
    transition(withdrawn.proposal, Proposal.Status.SHORTLISTED, actor=acting_user, reason="Offer withdrawn")
    return withdrawn


@transaction.atomic
def offer_decline(*, acting_user: User, offer: Offer, reason: str = "") -> Offer:
    require_offer_answerer(acting_user, offer)
    reason = reason.strip()[:2000]
    declined = transition(
        offer,
        Offer.Status.DECLINED,
        actor=acting_user,
        reason=reason,
        decline_reason=reason,
        responded_at=timezone.now(),
    )
    transition(declined.proposal, Proposal.Status.SHORTLISTED, actor=acting_user, reason="Offer declined")
    return declined


@transaction.atomic
def offer_expire(*, offer_id: int) -> Offer | None:
    """The periodic task's move for an unanswered offer past its time."""
    offer = Offer.objects.filter(
        pk=offer_id, status=Offer.Status.SENT, expires_at__lte=timezone.now()
    ).first()
    if offer is None:
        return None
    expired = transition(
        offer, Offer.Status.EXPIRED, reason=f"Unanswered for {settings.OFFER_EXPIRY_DAYS} days"
    )
    transition(expired.proposal, Proposal.Status.SHORTLISTED, reason="Offer expired")
    return expired


@transaction.atomic
def offers_withdraw_for_pool_member(*, pool_id: int, worker_id: int, reason: str) -> list[int]:
    """A member suspended or removed from a pool loses the offers still awaiting their answer on
    that pool's jobs (their proposals return to the shortlist); each withdrawal is audited and the
    worker told (``status_changed``). Idempotent: answered offers are left alone."""
    pool = TalentPool.objects.select_related("organisation").get(pk=pool_id)
    on_pool = Q(job__pool_id=pool_id)
    if pool.is_default:
        on_pool |= Q(job__pool__isnull=True, job__organisation_id=pool.organisation_id)
    offers = (
        Offer.objects.select_for_update(of=("self",))
        .filter(
            on_pool, job__visibility=Job.Visibility.POOL, freelancer_id=worker_id, status=Offer.Status.SENT
        )
        .select_related("proposal")
        .order_by("pk")
    )
    withdrawn = []
    for offer in offers:
        transition(offer, Offer.Status.WITHDRAWN, reason=reason, row_locked=True, responded_at=timezone.now())
        transition(offer.proposal, Proposal.Status.SHORTLISTED, reason=reason)
        audit_record(
            actor=None,
            action="offer.withdrawn",
            target=pool.organisation,
            summary=f"Offer {offer.pk} on job {offer.job_id} withdrawn: {reason}",
            offer=offer.pk,
            job=offer.job_id,
            freelancer=worker_id,
            pool=pool_id,
        )
        withdrawn.append(offer.pk)
    return withdrawn
