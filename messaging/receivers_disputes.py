"""Notifications for disputes: each step told to the people it concerns, live and by email.

Disputes never import messaging: its services send ``marketplace.disputes.events``
(``dispute_opened``, ``dispute_step``), possibly inside their transaction, so these receivers queue
their work on commit and read the dispute as it was committed; a failure is logged, never turned
into an error for a step that already happened.

A side is the people who read the dispute's conversation: the freelancer, or the contract's client
and the organisation's members whose role acts on the contract (``CONTRACT_ROLES``). Whoever took
the step is never told of it. Who hears what (``email_policy`` decides the email: the kinds that
need an answer or move money go at once, the others wait for the digest):

- opened: the other side, with the date to respond by (``dispute_opened``, at once); a chargeback
  case (no opener): every support user (``dispute_case``, at once) and both sides (digest).
- responded, evidence, asked_support: the other side of the one who acted (digest).
- offer_proposed: the other side (``dispute_offer``, at once); offer_declined: the proposer's side.
- offer_accepted (settled) and decided: both sides, with the money each receives (at once).
- escalated: both sides (digest) and every support user (``dispute_case``, at once).
- assigned: the assigned support user (``dispute_case``, at once).
- withdrawn, closed: both sides (digest).
"""

import functools
from datetime import datetime

from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateformat import format as date_format

from marketplace.accounts.models import User
from marketplace.core.money import format_money
from marketplace.disputes import events as dispute_events
from marketplace.disputes.models import Dispute, SettlementOffer
from marketplace.disputes.selectors import dispute_money
from marketplace.jobs.permissions import client_side_ids_any

from .models import Notification
from .receivers import _client_name, _freelancer_name, _never_raises
from .services import notification_create
from .services.conversations import CONTRACT_ROLES

Kind = Notification.Kind
Side = Dispute.Side


def _after_commit(handler):
    """Run the (guarded) handler once the sender's transaction commits, with the dispute's id."""

    @functools.wraps(handler)
    def queued(sender, dispute: Dispute, **kwargs) -> None:
        actor = kwargs.get("actor")
        call = functools.partial(
            _never_raises(handler), dispute.pk, step=kwargs.get("step"), actor_id=getattr(actor, "pk", None)
        )
        transaction.on_commit(call)

    return queued


def _page(dispute: Dispute) -> str:
    return f"/disputes/{dispute.pk}/"


def _case_page(dispute: Dispute) -> str:
    return f"/support/disputes/{dispute.pk}/"


def _sides(dispute: Dispute) -> dict[str, set[int]]:
    contract = dispute.contract
    client = client_side_ids_any(
        client_id=contract.client_id, organisation_id=contract.organisation_id, codenames=CONTRACT_ROLES
    )
    return {Side.CLIENT: client, Side.FREELANCER: {contract.freelancer_id}}


def _side_of(sides: dict[str, set[int]], user_id: int | None) -> str | None:
    return next((side for side, ids in sides.items() if user_id in ids), None)


def _other(side: str | None) -> str:
    return Side.CLIENT if side == Side.FREELANCER else Side.FREELANCER


def _side_name(dispute: Dispute, side: str) -> str:
    contract = dispute.contract
    return _client_name(contract) if side == Side.CLIENT else _freelancer_name(contract.freelancer)


def _subject(dispute: Dispute) -> str:
    if dispute.milestone_id:
        return f"milestone “{dispute.milestone.title}”"
    if dispute.timesheet_id:
        return f"the week of {dispute.timesheet.week_start:%-d %b} on “{dispute.contract.title}”"
    return f"“{dispute.contract.title}”"


def _day(moment: datetime | None) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i T") if moment else "soon"


def _support_ids() -> list[int]:
    return list(User.objects.filter(is_support=True, is_active=True).values_list("pk", flat=True))


def _money_each(dispute: Dispute) -> str:
    """What each side receives of the held money (the freelancer's part less their fee share, the
    client's with its client fee share: ``dispute_money``, from the settlements)."""
    money = dispute_money(dispute)
    freelancer = _side_name(dispute, Side.FREELANCER)
    client = _side_name(dispute, Side.CLIENT)
    return (
        f"{freelancer} receives {format_money(money['freelancer_receives'].amount_minor, dispute.currency)}; "
        f"{client} gets {format_money(money['client_receives'].amount_minor, dispute.currency)} back."
    )


class _Teller:
    """Sends one step's notifications to sides of one dispute, never to the actor."""

    def __init__(self, dispute: Dispute, actor_id: int | None):
        self.dispute, self.actor_id = dispute, actor_id
        self.sides = _sides(dispute)
        self.actor_side = _side_of(self.sides, actor_id)

    def tell(self, sides, *, kind: str, title: str, body: str = "") -> None:
        recipients = set().union(*(self.sides[side] for side in sides)) - {self.actor_id}
        notification_create(
            recipient_ids=recipients,
            kind=kind,
            title=title,
            body=body,
            url=_page(self.dispute),
            actor_id=self.actor_id,
        )

    def tell_support(self, recipient_ids, *, title: str, body: str = "") -> None:
        notification_create(
            recipient_ids=set(recipient_ids) - {self.actor_id},
            kind=Kind.DISPUTE_CASE,
            title=title,
            body=body,
            url=_case_page(self.dispute),
            actor_id=self.actor_id,
        )


def _load(dispute_id: int) -> Dispute:
    return Dispute.objects.select_related(
        "contract__client",
        "contract__organisation",
        "contract__freelancer",
        "milestone",
        "timesheet",
        "assigned_to",
    ).get(pk=dispute_id)


@receiver(dispute_events.dispute_opened, dispatch_uid="messaging.dispute_opened")
@_after_commit
def dispute_opened(dispute_id: int, *, actor_id: int | None, **kwargs) -> None:
    dispute = _load(dispute_id)
    teller = _Teller(dispute, dispute.opened_by_id)
    subject = _subject(dispute)
    amount = format_money(dispute.amount_minor, dispute.currency)
    if dispute.opened_by_id is None:  # a card chargeback: the processor opened it
        teller.tell_support(_support_ids(), title=f"Chargeback case on {subject}", body=dispute.description)
        teller.tell(
            Side.values,
            kind=Kind.DISPUTE_ACTIVITY,
            title=f"The card payment for {subject} is disputed with the bank",
            body="The money stays in escrow until the bank's dispute is resolved; support will keep you "
            "informed.",
        )
        return
    side = dispute.opened_by_side
    teller.tell(
        [_other(side)],
        kind=Kind.DISPUTE_OPENED,
        title=f"{_side_name(dispute, side)} opened a dispute on {subject}: respond by "
        f"{_day(dispute.respond_by)}",
        body=f"{dispute.get_reason_display()}; {amount} in question. The money stays in escrow until it "
        "is settled or support decides.",
    )


def _offer(dispute: Dispute) -> SettlementOffer | None:
    return dispute.offers.order_by("-created_at", "-pk").first()


def _offer_terms(dispute: Dispute, offer: SettlementOffer) -> str:
    released = format_money(offer.release_minor, dispute.currency)
    refunded = format_money(offer.refund_minor, dispute.currency)
    return f"{released} to the freelancer, {refunded} back to the client."


@receiver(dispute_events.dispute_step, dispatch_uid="messaging.dispute_step")
@_after_commit
def dispute_step(dispute_id: int, *, step: str, actor_id: int | None, **kwargs) -> None:
    dispute = _load(dispute_id)
    teller = _Teller(dispute, actor_id)
    subject, both = _subject(dispute), Side.values
    who = _side_name(dispute, teller.actor_side) if teller.actor_side else "Support"
    other = [_other(teller.actor_side)] if teller.actor_side else both
    if step in ("responded", "evidence", "asked_support"):
        did = {
            "responded": "responded to the dispute",
            "evidence": "added evidence to the dispute",
            "asked_support": "asked support to decide the dispute",
        }[step]
        teller.tell(other, kind=Kind.DISPUTE_ACTIVITY, title=f"{who} {did} on {subject}")
    elif step == "offer_proposed" and (offer := _offer(dispute)):
        teller.tell(
            other,
            kind=Kind.DISPUTE_OFFER,
            title=f"{who} proposes a settlement of the dispute on {subject}",
            body=f"{_offer_terms(dispute, offer)} Accept it or decline it.",
        )
    elif step == "offer_declined" and (offer := _offer(dispute)):
        teller.tell(
            [offer.side], kind=Kind.DISPUTE_ACTIVITY, title=f"{who} declined your settlement on {subject}"
        )
    elif step in ("offer_accepted", "decided"):
        title = f"Dispute on {subject} " + ("settled" if step == "offer_accepted" else "decided by support")
        body = _money_each(dispute)
        if step == "decided" and dispute.resolution_note:
            body = f"{body} {dispute.resolution_note}"
        teller.tell(both, kind=Kind.DISPUTE_RESOLVED, title=title, body=body)
    elif step == "escalated":
        teller.tell(
            both,
            kind=Kind.DISPUTE_ACTIVITY,
            title=f"Support will decide the dispute on {subject}",
            body=f"A decision is due by {_day(dispute.decide_by)}.",
        )
        teller.tell_support(
            _support_ids(),
            title=f"Dispute to decide: {subject}",
            body=f"Decide by {_day(dispute.decide_by)}.",
        )
    elif step == "assigned" and dispute.assigned_to_id:
        teller.tell_support(
            [dispute.assigned_to_id],
            title=f"Assigned to you: the dispute on {subject}",
            body=f"Decide by {_day(dispute.decide_by)}.",
        )
    elif step == "withdrawn":
        teller.tell(
            both,
            kind=Kind.DISPUTE_ACTIVITY,
            title=f"{who} withdrew the dispute on {subject}",
            body="The money in escrow follows the milestone's usual course again.",
        )
    elif step == "closed":
        teller.tell(both, kind=Kind.DISPUTE_ACTIVITY, title=f"The case on {subject} is closed")
