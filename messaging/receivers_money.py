"""Notifications for money and milestones: funded, work submitted, changes asked, approved, paid,
waiting for payouts, refunded.

Milestone moves (funded included) arrive as ``status_changed`` after commit.

Escrow's events (``escrow.events``) are sent inside the transaction that moved the money, so
these receivers write their rows in a savepoint of it (a failure here is logged and never undoes
the payment) and pushes and emails go out after commit (``notification_create`` does that).
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver

from escrow import events as money
from escrow.models import Hold
from marketplace.contracts.models import Milestone
from marketplace.core.money import format_money
from marketplace.core.transitions import status_changed
from marketplace.jobs.permissions import client_side_ids

from .models import Notification
from .receivers import _client_name, _freelancer_name, _url
from .services import notification_create

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def _guarded(handler):
    @functools.wraps(handler)
    def guarded(*args, **kwargs) -> None:
        try:
            with transaction.atomic():
                handler(*args, **kwargs)
        except Exception:
            logger.exception("Notification receiver %s failed", handler.__name__)

    return guarded


def _milestone_of(hold: Hold) -> Milestone | None:
    return (
        Milestone.objects.select_related("contract__client", "contract__organisation", "contract__freelancer")
        .filter(hold=hold)
        .first()
    )


def _page(milestone: Milestone) -> str:
    return f"{_url('contract_detail', milestone.contract_id)}milestones/{milestone.pk}/"


def _client_ids(milestone: Milestone) -> set[int]:
    contract = milestone.contract
    return client_side_ids(client_id=contract.client_id, organisation_id=contract.organisation_id)


@receiver(money.release_blocked, sender=Hold, dispatch_uid="messaging.release_blocked")
@_guarded
def release_blocked(sender, hold: Hold, transfer, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None:
        return
    amount = format_money(transfer.amount_minor, transfer.currency)
    notification_create(
        recipient_ids=[milestone.contract.freelancer_id],
        kind=Kind.PAYOUT_WAITING,
        title=f"{amount} is waiting for you to set up payouts",
        body=f"“{milestone.title}” was approved. Set up payouts and the payment goes out at once.",
        url=_url("payouts"),
        email_context={"milestone": milestone, "amount": amount},
    )
    notification_create(
        recipient_ids=_client_ids(milestone),
        kind=Kind.PAYOUT_WAITING,
        title=f"Payment for “{milestone.title}” waits for the freelancer's payouts",
        body=f"{_freelancer_name(milestone.contract.freelancer)} has not set up payouts yet; the money stays "
        "in escrow until they do.",
        url=_page(milestone),
    )


@receiver(money.release_paid, sender=Hold, dispatch_uid="messaging.release_paid")
@_guarded
def release_paid(sender, hold: Hold, transfer, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None:
        return
    amount = format_money(transfer.amount_minor, transfer.currency)
    notification_create(
        recipient_ids=[milestone.contract.freelancer_id],
        kind=Kind.PAYMENT_SENT,
        title=f"Paid: {amount} for “{milestone.title}”",
        body="The payment is on its way to your payout account.",
        url=_url("earnings"),
        email_context={"milestone": milestone, "amount": amount},
    )


@receiver(money.refund_paid, sender=Hold, dispatch_uid="messaging.refund_paid")
@_guarded
def refund_paid(sender, hold: Hold, refund, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None:
        return
    notification_create(
        recipient_ids=_client_ids(milestone),
        kind=Kind.REFUND_SENT,
        title=f"Refunded: {format_money(refund.amount_minor, refund.currency)} for “{milestone.title}”",
        body="The money is on its way back to the card it came from (banks take 5 to 10 days).",
        url=_page(milestone),
    )


@receiver(status_changed, sender=Milestone, dispatch_uid="messaging.milestone_status")
@_guarded
def milestone_status_changed(
    sender, instance_id: int, to_status: str, actor_id: int | None, reason: str, **kw
):
    milestone = Milestone.objects.select_related(
        "contract__client", "contract__organisation", "contract__freelancer"
    ).get(pk=instance_id)
    contract = milestone.contract
    if to_status == Milestone.Status.FUNDED:
        notification_create(
            recipient_ids=[contract.freelancer_id],
            kind=Kind.MILESTONE_FUNDED,
            title=f"Funded: “{milestone.title}”",
            body=f"{_client_name(contract)} put {format_money(milestone.amount_minor, contract.currency)} in "
            "escrow. You can start the work.",
            url=_page(milestone),
            actor_id=actor_id,
        )
    elif to_status == Milestone.Status.SUBMITTED:
        notification_create(
            recipient_ids=_client_ids(milestone),
            kind=Kind.MILESTONE_SUBMITTED,
            title=f"Work submitted: “{milestone.title}”",
            body=f"{_freelancer_name(contract.freelancer)} handed in the work. Approve it or ask for changes "
            f"within {settings.MILESTONE_AUTO_APPROVE_DAYS} days; after that it is approved automatically.",
            url=_page(milestone),
            actor_id=actor_id,
            email_context={"milestone": milestone, "freelancer_name": _freelancer_name(contract.freelancer)},
        )
    elif to_status == Milestone.Status.REVISION_REQUESTED:
        notification_create(
            recipient_ids=[contract.freelancer_id],
            kind=Kind.MILESTONE_REVISION,
            title=f"Changes requested: “{milestone.title}”",
            body=reason,
            url=_page(milestone),
            actor_id=actor_id,
        )
    elif to_status == Milestone.Status.APPROVED:
        notification_create(
            recipient_ids=[contract.freelancer_id],
            kind=Kind.MILESTONE_APPROVED,
            title=f"Approved: “{milestone.title}”",
            body=reason,
            url=_page(milestone),
            actor_id=actor_id,
        )
