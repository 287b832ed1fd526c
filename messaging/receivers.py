"""Notifications for the jobs domain's events: who hears about what, in which words, with which link.

Jobs never import messaging: its services send ``marketplace.jobs.events`` signals and
``status_changed`` after their transaction commits, and these receivers (connected in
``MessagingConfig.ready``) turn them into notifications. "The client side" of a job is its poster
and, for an organisation's job, the members whose role may manage jobs.
"""

import functools
import logging
import math

from django.conf import settings
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from marketplace.contracts import events as contract_events
from marketplace.contracts.models import Contract
from marketplace.core.money import format_money
from marketplace.core.transitions import status_changed
from marketplace.jobs import events
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal
from marketplace.jobs.permissions import client_side_ids

from .models import Notification
from .services import notification_create

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def _never_raises(handler):
    """Receivers run after the write committed: a failure here is logged, never turned into an
    error answer for a change that has already happened."""

    @functools.wraps(handler)
    def guarded(*args, **kwargs) -> None:
        try:
            handler(*args, **kwargs)
        except Exception:
            logger.exception("Notification receiver %s failed", handler.__name__)

    return guarded


# --- Who and how to name them -------------------------------------------------------------------


def _client_name(row: Job | Offer | Contract) -> str:
    """How the freelancer knows the other side: the organisation, else the client's name."""
    if row.organisation_id:
        return row.organisation.name
    return row.client.full_name or "The client"


def _freelancer_name(user) -> str:
    return user.full_name or "The freelancer"


def _price(amount_minor: int, currency: str, budget_type: str) -> str:
    suffix = " an hour" if budget_type == Job.BudgetType.HOURLY else ""
    return f"{format_money(amount_minor, currency)}{suffix}"


def _offer_price(offer: Offer) -> str:
    return _price(offer.amount_minor, offer.currency, offer.budget_type)


def _url(name: str, pk: int | None = None) -> str:
    return reverse(f"frontend:{name}", args=[pk] if pk is not None else None)


# --- Things created -----------------------------------------------------------------------------


@receiver(events.job_invitation_sent, dispatch_uid="messaging.job_invitation_sent")
@_never_raises
def job_invitation_sent(sender, job_invitation_id: int, **kwargs) -> None:
    invitation = JobInvitation.objects.select_related("job__client", "job__organisation").get(
        pk=job_invitation_id
    )
    job = invitation.job
    notification_create(
        recipient_ids=[invitation.freelancer_id],
        kind=Kind.JOB_INVITATION,
        title=f"{_client_name(job)} invited you to propose on “{job.title}”",
        body=invitation.message or "Read the job and send a proposal if it suits you.",
        url=_url("my_invitations"),
        actor_id=invitation.invited_by_id,
    )


@receiver(events.proposal_submitted, dispatch_uid="messaging.proposal_submitted")
@_never_raises
def proposal_submitted(sender, proposal_id: int, **kwargs) -> None:
    proposal = Proposal.objects.select_related("job", "freelancer").get(pk=proposal_id)
    job = proposal.job
    invited = " (invited)" if proposal.is_invited else ""
    notification_create(
        recipient_ids=client_side_ids(client_id=job.client_id, organisation_id=job.organisation_id),
        kind=Kind.PROPOSAL_RECEIVED,
        title=f"New proposal on “{job.title}”",
        body=f"{_freelancer_name(proposal.freelancer)}{invited} proposes "
        f"{_price(proposal.amount_minor, proposal.currency, job.budget_type)}.",
        url=_url("job_proposals", job.pk),
        actor_id=proposal.freelancer_id,
    )


@receiver(events.offer_sent, dispatch_uid="messaging.offer_sent")
@_never_raises
def offer_sent(sender, offer_id: int, **kwargs) -> None:
    offer = Offer.objects.select_related("client", "organisation", "freelancer").get(pk=offer_id)
    notification_create(
        recipient_ids=[offer.freelancer_id],
        kind=Kind.OFFER_RECEIVED,
        title=f"Offer from {_client_name(offer)}: “{offer.title}”",
        body=f"{_offer_price(offer)}; answer within {settings.OFFER_EXPIRY_DAYS} days.",
        url=_url("offer_detail", offer.pk),
        email_context={"offer": offer, "client_name": _client_name(offer), "price": _offer_price(offer)},
    )


@receiver(contract_events.contract_started, dispatch_uid="messaging.contract_started")
@_never_raises
def contract_started(sender, contract_id: int, **kwargs) -> None:
    contract = Contract.objects.select_related("client", "organisation", "freelancer").get(pk=contract_id)
    price = _price(contract.amount_minor, contract.currency, contract.budget_type)
    title = f"Contract started: “{contract.title}”"
    url = _url("contract_detail", contract.pk)
    notification_create(
        recipient_ids=[contract.freelancer_id],
        kind=Kind.CONTRACT_STARTED,
        title=title,
        body=f"With {_client_name(contract)}, {price}.",
        url=url,
    )
    notification_create(
        recipient_ids=client_side_ids(client_id=contract.client_id, organisation_id=contract.organisation_id),
        kind=Kind.CONTRACT_STARTED,
        title=title,
        body=f"With {_freelancer_name(contract.freelancer)}, {price}.",
        url=url,
        actor_id=contract.freelancer_id,
    )


@receiver(events.job_expiring_soon, dispatch_uid="messaging.job_expiring_soon")
@_never_raises
def job_expiring_soon(sender, job_id: int, **kwargs) -> None:
    job = Job.objects.get(pk=job_id)
    days = max(1, math.ceil((job.expires_at - timezone.now()).total_seconds() / 86_400))
    notification_create(
        recipient_ids=client_side_ids(client_id=job.client_id, organisation_id=job.organisation_id),
        kind=Kind.JOB_EXPIRING,
        title=f"Your job “{job.title}” expires in {days} day{'s' if days != 1 else ''}",
        body="Hire from its proposals or close it before then; once expired it takes no new proposals.",
        url=_url("job_proposals", job.pk),
    )


# --- Things moved (``status_changed``: instance_id, from_status, to_status, actor_id, reason) ----


@receiver(status_changed, sender=Proposal, dispatch_uid="messaging.proposal_status")
@_never_raises
def proposal_status_changed(
    sender, instance_id: int, from_status: str, to_status: str, actor_id: int | None, **kwargs
) -> None:
    # Back on the shortlist from "offered" is the offer's news (declined, withdrawn, expired).
    if to_status == Proposal.Status.SHORTLISTED and from_status != Proposal.Status.OFFERED:
        kind, title = Kind.PROPOSAL_SHORTLISTED, "You're on the shortlist for “{job}”"
    elif to_status == Proposal.Status.DECLINED:
        kind, title = Kind.PROPOSAL_DECLINED, "Your proposal for “{job}” was declined"
    else:
        return
    proposal = Proposal.objects.select_related("job__client", "job__organisation").get(pk=instance_id)
    job = proposal.job
    body = (
        f"{_client_name(job)} shortlisted your proposal."
        if kind == Kind.PROPOSAL_SHORTLISTED
        else proposal.decline_message or f"{_client_name(job)} went with other proposals this time."
    )
    notification_create(
        recipient_ids=[proposal.freelancer_id],
        kind=kind,
        title=title.format(job=job.title),
        body=body,
        url=_url("job_detail", job.pk),
        actor_id=actor_id,
    )


@receiver(status_changed, sender=JobInvitation, dispatch_uid="messaging.job_invitation_status")
@_never_raises
def job_invitation_status_changed(
    sender, instance_id: int, to_status: str, actor_id: int | None, **kwargs
) -> None:
    # The freelancer was told of the invitation, so they hear when it is taken back (as with an offer);
    # their own decline and proposal are news to nobody but the client's lists.
    if to_status != JobInvitation.Status.WITHDRAWN:
        return
    invitation = JobInvitation.objects.select_related("job__client", "job__organisation").get(pk=instance_id)
    job = invitation.job
    notification_create(
        recipient_ids=[invitation.freelancer_id],
        kind=Kind.JOB_INVITATION_WITHDRAWN,
        title=f"Invitation withdrawn: “{job.title}”",
        body=f"{_client_name(job)} withdrew the invitation to propose.",
        url=_url("my_invitations"),
        actor_id=actor_id,
    )


@receiver(status_changed, sender=Offer, dispatch_uid="messaging.offer_status")
@_never_raises
def offer_status_changed(
    sender, instance_id: int, to_status: str, actor_id: int | None, reason: str, **kwargs
) -> None:
    offer = Offer.objects.select_related("client", "organisation", "freelancer").get(pk=instance_id)
    freelancer = _freelancer_name(offer.freelancer)
    client_side = client_side_ids(client_id=offer.client_id, organisation_id=offer.organisation_id)
    email_context = {"offer": offer, "freelancer_name": freelancer, "price": _offer_price(offer)}
    if to_status == Offer.Status.ACCEPTED:
        notification_create(
            recipient_ids=client_side,
            kind=Kind.OFFER_ACCEPTED,
            title=f"{freelancer} accepted your offer “{offer.title}”",
            body="The contract has started.",
            url=_url("contract_detail", offer.contract.pk),
            actor_id=actor_id,
            email_context=email_context,
        )
    elif to_status == Offer.Status.DECLINED:
        notification_create(
            recipient_ids=client_side,
            kind=Kind.OFFER_DECLINED,
            title=f"{freelancer} declined your offer “{offer.title}”",
            body=offer.decline_reason or "The proposal is back on your shortlist.",
            url=_url("job_proposals", offer.job_id),
            actor_id=actor_id,
            email_context=email_context,
        )
    elif to_status == Offer.Status.WITHDRAWN:
        notification_create(
            recipient_ids=[offer.freelancer_id],
            kind=Kind.OFFER_WITHDRAWN,
            title=f"Offer withdrawn: “{offer.title}”",
            body=reason or f"{_client_name(offer)} withdrew the offer.",
            url=_url("offer_detail", offer.pk),
            actor_id=actor_id,
        )
    elif to_status == Offer.Status.EXPIRED:
        notification_create(
            recipient_ids=[offer.freelancer_id],
            kind=Kind.OFFER_EXPIRED,
            title=f"Offer expired: “{offer.title}”",
            body=f"It was not answered within {settings.OFFER_EXPIRY_DAYS} days.",
            url=_url("offer_detail", offer.pk),
        )


@receiver(status_changed, sender=Contract, dispatch_uid="messaging.contract_status")
@_never_raises
def contract_status_changed(sender, instance_id: int, to_status: str, actor_id: int | None, **kwargs) -> None:
    if to_status not in (Contract.Status.COMPLETED, Contract.Status.CANCELLED):
        return
    contract = Contract.objects.select_related("client", "organisation", "freelancer", "ended_by").get(
        pk=instance_id
    )
    # The other party hears of it: the freelancer when the client side ended it, and the other way round.
    if actor_id == contract.freelancer_id:
        recipients = client_side_ids(client_id=contract.client_id, organisation_id=contract.organisation_id)
        by = _freelancer_name(contract.freelancer)
    else:
        recipients = {contract.freelancer_id}
        by = _client_name(contract)
    completed = to_status == Contract.Status.COMPLETED
    notification_create(
        recipient_ids=recipients,
        kind=Kind.CONTRACT_COMPLETED if completed else Kind.CONTRACT_CANCELLED,
        title=f"Contract {'completed' if completed else 'cancelled'}: “{contract.title}”",
        body=f"{by} {'marked it completed' if completed else 'cancelled it'}"
        + (f": {contract.end_reason}" if contract.end_reason else "."),
        url=_url("contract_detail", contract.pk),
        actor_id=actor_id,
    )


@receiver(status_changed, sender=Job, dispatch_uid="messaging.job_status")
@_never_raises
def job_status_changed(sender, instance_id: int, to_status: str, **kwargs) -> None:
    if to_status != Job.Status.EXPIRED:
        return
    job = Job.objects.get(pk=instance_id)
    notification_create(
        recipient_ids=client_side_ids(client_id=job.client_id, organisation_id=job.organisation_id),
        kind=Kind.JOB_EXPIRED,
        title=f"Your job “{job.title}” expired",
        body=f"It was open for {settings.JOB_OPEN_DAYS} days and takes no new proposals; post it again "
        "if you still need the work done.",
        url=_url("job_proposals", job.pk),
    )
