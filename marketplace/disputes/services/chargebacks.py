"""Chargeback cases: the staff case a card chargeback opens (escrow's ``chargeback_opened``) and
closes (``chargeback_closed``), called by ``marketplace.disputes.receivers`` inside escrow's
transaction (the hold is locked: level 1 of the lock order; the milestone and dispute rows come
after it).

A chargeback is decided by the cardholder's bank, not by support: its case starts escalated (so it
is in the staff queue with the decision target as its deadline, for support to answer the bank and
talk to both parties) and is closed when the processor closes the chargeback, with its outcome.
A hold has one active dispute at most: when a party's dispute is already open on it, that dispute
becomes the chargeback's case (escalated, linked) instead of a second one, and stays with support
to decide after a won chargeback.
"""

import logging

from django.db import transaction
from django.utils import timezone

from escrow.models import ChargeDispute, Hold
from marketplace.contracts.models import Milestone
from marketplace.contracts.services import milestone_settle_by_dispute
from marketplace.core.audit import audit_record
from marketplace.core.money import Money
from marketplace.core.transitions import transition

from .. import deadlines, events
from ..models import Dispute
from .common import dispute_end

logger = logging.getLogger(__name__)


@transaction.atomic
def chargeback_case_open(*, charge_dispute: ChargeDispute) -> Dispute | None:
    """The case of a chargeback (made once; the same case on a replay). None when the hold is not a
    milestone's (nothing to show the parties), which is logged."""
    case = Dispute.objects.filter(chargeback=charge_dispute).first()
    if case is not None:
        return case
    milestone = Milestone.objects.filter(hold_id=charge_dispute.hold_id).select_related("contract").first()
    if milestone is None:
        logger.error(
            "chargeback %s is on hold %s, which is no milestone's", charge_dispute, charge_dispute.hold_id
        )
        return None
    now = timezone.now()
    money = Money(charge_dispute.amount_minor, charge_dispute.currency)
    active = Dispute.objects.select_for_update().filter(
        hold_id=charge_dispute.hold_id, status__in=Dispute.ACTIVE
    )
    case = active.first()
    if case is not None:  # a party's dispute already: it becomes the chargeback's case
        case.chargeback = charge_dispute
        case.save(update_fields=["chargeback", "updated_at"])
        if case.status == Dispute.Status.OPEN:
            reason = f"The card's bank disputed the payment ({charge_dispute.reason})."
            case = transition(
                case,
                Dispute.Status.ESCALATED,
                reason=reason,
                escalated_at=now,
                decide_by=deadlines.decide_by(now),
            )
            events.step_on_commit(case, "escalated", None)
        _audit(case, "disputes.chargeback_linked", f"Chargeback {charge_dispute} of {money} joined this case")
        return case
    case = Dispute.objects.create(
        kind=Dispute.Kind.CHARGEBACK,
        status=Dispute.Status.ESCALATED,
        contract=milestone.contract,
        milestone=milestone,
        hold_id=charge_dispute.hold_id,
        chargeback=charge_dispute,
        reason=Dispute.Reason.CHARGEBACK,
        description=(
            f"The client's card bank disputed the payment of {money} for this milestone "
            f"(the bank's reason: {charge_dispute.reason or 'none given'})."
            + (" The money in escrow is frozen until the bank decides." if charge_dispute.froze_hold else "")
        ),
        amount_minor=charge_dispute.amount_minor,
        currency=charge_dispute.currency,
        escalated_at=now,
        decide_by=deadlines.decide_by(now),
    )
    _audit(case, "disputes.chargeback_opened", f"Chargeback {charge_dispute} of {money}")
    events.send_on_commit(events.dispute_opened, Dispute, dispute=case)
    return case


@transaction.atomic
def chargeback_case_close(*, charge_dispute: ChargeDispute) -> Dispute | None:
    """Close the chargeback's case with the bank's outcome. A party's dispute that was linked to it
    stays with support after a won chargeback, and closes with it when a lost one took the money."""
    case = chargeback_case_open(charge_dispute=charge_dispute)
    if case is None or not case.is_active:
        return case
    lost = charge_dispute.outcome == ChargeDispute.Outcome.LOST
    settled = Hold.objects.filter(pk=charge_dispute.hold_id, status=Hold.Status.SETTLED).exists()
    if case.kind != Dispute.Kind.CHARGEBACK and not (lost and settled):
        _audit(case, "disputes.chargeback_closed", f"Chargeback {charge_dispute} {charge_dispute.outcome}")
        return case
    note = _outcome_note(charge_dispute)
    refunded = charge_dispute.settlement.principal_minor if charge_dispute.settlement_id else 0
    all_refunded = settled and refunded
    changes = {"refunded_minor": refunded} | ({"outcome": Dispute.Outcome.REFUND_ALL} if all_refunded else {})
    case = dispute_end(case, Dispute.Status.CLOSED, actor=None, note=note, **changes)
    milestone = case.milestone
    if all_refunded and milestone is not None and milestone.status in Milestone.DISPUTED:
        reason = f"Returned to the card by chargeback {charge_dispute}"
        milestone_settle_by_dispute(
            milestone=milestone, released_minor=0, refunded_minor=refunded, actor=None, reason=reason
        )
    _audit(case, "disputes.chargeback_closed", note)
    events.step_on_commit(case, "closed", None)
    return case


def chargeback_keeps_frozen(*, charge_dispute: ChargeDispute) -> bool:
    """Whether another dispute still needs the chargeback's hold frozen (a party's, open on it)."""
    return Dispute.objects.filter(hold_id=charge_dispute.hold_id, status__in=Dispute.ACTIVE).exists()


def _outcome_note(charge_dispute: ChargeDispute) -> str:
    currency = charge_dispute.currency
    if charge_dispute.outcome == ChargeDispute.Outcome.WON:
        unfrozen = " The money in escrow is no longer frozen." if charge_dispute.froze_hold else ""
        return "The bank decided for the platform: the payment stands." + unfrozen
    if charge_dispute.taken_from_hold_minor:
        taken = Money(charge_dispute.taken_from_hold_minor, currency)
        return f"The bank decided for the cardholder: {taken} held in escrow went back to the client's card."
    loss = Money(charge_dispute.platform_loss_minor, currency)
    return (
        f"The bank decided for the cardholder after the money was paid out: the platform bears {loss}; "
        "nothing is taken back from the freelancer."
    )


def _audit(case: Dispute, action: str, summary: str) -> None:
    audit_record(actor=None, action=action, target=case, summary=summary, chargeback=case.chargeback_id)
