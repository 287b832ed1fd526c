"""Accepting an offer: the hiring funnel's last step, which turns the offer into a contract."""

from functools import partial

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict
from marketplace.core.transitions import transition
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.permissions import require_offer_answerer
from marketplace.jobs.services.jobs import job_close_locked

from .. import events
from ..models import Contract, Milestone


@transaction.atomic
def offer_accept(*, acting_user: User, offer: Offer) -> Contract:
    """Accept: the offer's terms and fees are copied onto a new active contract; a job that now has
    all the hires it wanted closes. The offer row is locked, so two accepts make one contract; the
    job's row is locked before it (the order closing a job takes), so two accepts of different offers
    on a job with one place left queue instead of deadlocking."""
    require_offer_answerer(acting_user, offer)
    now = timezone.now()
    job = Job.objects.select_for_update().get(pk=offer.job_id)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.status == Offer.Status.SENT and locked.expires_at <= now:
        raise Conflict("This offer has expired; ask the client to send a new one.", code="offer_expired")
    accepted = transition(
        locked, Offer.Status.ACCEPTED, actor=acting_user, reason="Offer accepted", responded_at=now
    )
    if job.status != Job.Status.OPEN:
        raise Conflict(
            f"This job is {job.get_status_display().lower()}; the offer can no longer be accepted.",
            code="job_not_open",
        )
    transition(accepted.proposal, Proposal.Status.HIRED, actor=acting_user, reason="Offer accepted")
    contract = Contract.objects.create(
        offer=accepted,
        job=job,
        client_id=accepted.client_id,
        freelancer_id=accepted.freelancer_id,
        organisation_id=accepted.organisation_id,
        title=accepted.title,
        budget_type=accepted.budget_type,
        currency=accepted.currency,
        amount_minor=accepted.amount_minor,
        weekly_hour_cap=accepted.weekly_hour_cap,
        client_fee_bp=accepted.client_fee_bp,
        freelancer_fee_bp=accepted.freelancer_fee_bp,
    )
    Milestone.objects.bulk_create(
        Milestone(contract=contract, position=index, title=item["title"], amount_minor=item["amount_minor"])
        for index, item in enumerate(accepted.milestones, start=1)
    )
    if Contract.objects.filter(job=job).count() >= job.hires_wanted:
        job_close_locked(job, actor=acting_user, reason="Hired")
    transaction.on_commit(partial(events.contract_started.send, sender=Contract, contract_id=contract.pk))
    return contract
