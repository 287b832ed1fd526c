"""A contract's money in plain words, for one side of it.

The ledger's postings (``escrow.selectors.ledger_of_holds``) become events a client or a
freelancer reads: paid by card, held for a milestone, the fees, released, refunded, paid out.
One mapping, here: the contract page's money table and its history both show these events;
staff see the accounting view (account names, debits and credits) instead. Each side sees what
the contract page already shows it (both fee rates and both totals per milestone), never the
other side's card or payout account; the freelancer is not shown the card refund's return.

``cancel_outcome`` says what cancelling would do with the money, from what the holds still hold;
``funding_outcome`` what became of a payment the card step just made.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from escrow.models import LedgerTransaction
from escrow.selectors import held_in_escrow

from .models import Contract, Milestone

CLIENT, FREELANCER = "client", "freelancer"
Posting = LedgerTransaction.Kind


@dataclass(frozen=True)
class Line:
    label: str
    amount_minor: int  # below zero: taken off (the freelancer's fee)


@dataclass(frozen=True)
class MoneyEvent:
    """One movement of a milestone's money, as one side reads it."""

    at: datetime
    kind: str
    actor: object  # the person who made it happen; None: the platform, on its own
    what: str  # a verb phrase: "funded milestone 1, “Design”"
    lines: tuple[Line, ...]
    currency: str


def viewer_side(contract: Contract, user) -> str | None:
    """The side a viewer of the contract (``contract_for_viewer``) reads its money from: the
    freelancer's, or the client's (the client and their organisation's members); None for staff who
    are not a party (they see the accounting view)."""
    if user.pk == contract.freelancer_id:
        return FREELANCER
    if getattr(user, "is_staff", False) and user.pk != contract.client_id:
        return None
    return CLIENT


def _moved(posted: LedgerTransaction) -> int:
    """The amount a posting moved (the sum of its credits)."""
    return sum(entry.amount_minor for entry in posted.entries.all() if entry.amount_minor > 0)


def _named(milestone: Milestone | None) -> str:
    return f"milestone {milestone.position}, “{milestone.title}”" if milestone else "a payment"


def _held_for(milestone: Milestone | None) -> str:
    return f"Held for “{milestone.title}”" if milestone else "Held in escrow"


def _fees(label: str, amount_minor: int) -> tuple[Line, ...]:
    return (Line(label, amount_minor),) if amount_minor else ()


def _lines(posted: LedgerTransaction, held_for: str, contract: Contract, client: bool) -> tuple[Line, ...]:
    hold, settlement = posted.hold, posted.settlement
    if posted.kind == Posting.FUND:
        if not client:
            return (Line(held_for, hold.amount_minor),)
        charged = _moved(posted)
        return (
            Line("Paid by card", charged),
            Line(held_for, hold.amount_minor),
            *_fees("Client fee", charged - hold.amount_minor),
        )
    if posted.kind == Posting.RELEASE:
        part, fee = settlement.principal_minor, settlement.freelancer_fee_minor
        if client:
            return (
                Line(f"Released to {contract.freelancer.get_full_name()}", part),
                *_fees("Client fee (paid with the funding)", settlement.client_fee_minor),
            )
        return (
            Line("Released to you", part),
            *_fees("Freelancer fee", -fee),
            Line("Yours, to be paid out", part - fee),
        )
    if posted.kind == Posting.REFUND:
        if client:
            return (Line("Refunded to you", settlement.principal_minor + settlement.client_fee_minor),)
        return (Line("Refunded to the client", settlement.principal_minor),)
    if posted.kind == Posting.TRANSFER_OUT:
        return (Line("Paid out to the freelancer" if client else "Paid out to your bank", _moved(posted)),)
    if posted.kind == Posting.REFUND_OUT and client:
        return (Line("Back on your card", _moved(posted)),)
    if posted.kind == Posting.REFUND_FAILED and client:
        return (Line("Refused by your card's bank; owed to you and sent again", _moved(posted)),)
    return ()  # the card refund's return is the client's business


WHAT = {
    Posting.FUND: "funded {name}",
    Posting.RELEASE: "released the money for {name}",
    Posting.REFUND: "refunded the money for {name}",
    Posting.TRANSFER_OUT: "paid out the money for {name}",
    Posting.REFUND_OUT: "returned the refund for {name} to the card",
    Posting.REFUND_FAILED: "had the refund for {name} bounce back from the card",
}


DECIDED = (Posting.RELEASE, Posting.REFUND)


def _event(posted: LedgerTransaction, milestone, contract: Contract, side: str) -> MoneyEvent | None:
    name = _named(milestone)
    lines = _lines(posted, _held_for(milestone), contract, side == CLIENT)
    if not lines:
        return None
    if posted.kind == Posting.FUND:
        actor = contract.client
    elif posted.kind in DECIDED:
        actor = posted.settlement.created_by  # None: approved automatically, or refunded after a cancel
    else:
        actor = None  # payouts and card refunds go out on their own
    what = WHAT[posted.kind].format(name=name)
    return MoneyEvent(posted.created_at, posted.kind, actor, what, lines, posted.currency)


def money_events(ledger, milestones, contract: Contract, *, side: str) -> list[MoneyEvent]:
    """The contract's ledger (oldest first) as ``side`` reads it. ``milestones`` are the contract's
    (their holds' postings make up ``ledger``); no query beyond the ledger's own."""
    by_hold = {milestone.hold_id: milestone for milestone in milestones if milestone.hold_id}
    events = (_event(posted, by_hold.get(posted.hold_id), contract, side) for posted in ledger)
    return [event for event in events if event is not None]


@dataclass(frozen=True)
class CancelOutcome:
    """What cancelling the contract now would do with its money."""

    refunds: list[tuple[Milestone, int]]  # funded, unsubmitted: what goes back to the client
    refund_total_minor: int
    refund_on: datetime
    wait_days: int  # CANCEL_REFUND_AFTER_DAYS: the wait before the refund goes through
    unfunded: list[Milestone]  # cancelled at once; nothing was charged for them
    waiting_release: list[Milestone]  # approved: the freelancer's money, released when payouts allow
    blocked_by: list[Milestone]  # submitted, awaiting the client's answer: cancelling is refused


def cancel_outcome(milestones) -> CancelOutcome:
    """From the contract's milestones and what their holds still hold (one query)."""
    milestones = list(milestones)
    refundable = [m for m in milestones if m.status in Milestone.REFUNDABLE and m.hold_id]
    held = held_in_escrow(m.hold_id for m in refundable) if refundable else {}
    refunds = [(m, held.get(m.hold_id, 0)) for m in refundable if held.get(m.hold_id)]
    days = settings.CANCEL_REFUND_AFTER_DAYS
    status = Milestone.Status
    return CancelOutcome(
        refunds=refunds,
        refund_total_minor=sum(amount for _, amount in refunds),
        refund_on=timezone.now() + timedelta(days=days),
        wait_days=days,
        unfunded=[m for m in milestones if m.status == status.PENDING],
        waiting_release=[m for m in milestones if m.status == status.APPROVED],
        blocked_by=[m for m in milestones if m.status == status.SUBMITTED],
    )


FUNDED, REFUNDED = "funded", "refunded"


def funding_outcome(milestone: Milestone) -> tuple[str, str]:
    """What became of a milestone's paid charge, for the client who just paid: held in escrow
    ("funded"), or — the contract ended while the card form was open — given straight back
    ("refunded", the whole payment: ``milestone_on_hold_funded``)."""
    if milestone.status == Milestone.Status.CANCELLED:
        return REFUNDED, (
            "The contract ended before this payment went through, so it is refunded in full to your card "
            "(banks take a few days to show it)."
        )
    return FUNDED, "Paid. The money is held in escrow until you approve the work."


# --- money that is late, in plain words (escrow's reasons are in processor terms, for staff) ---------

PLAIN_REFUSALS = (
    ("capabilit", "your payout account is not fully set up"),
    ("destination", "your payout account could not be found"),
    ("could not be read", "your payout account could not be found"),
    ("insufficient funds", "the card payment it comes from is not available any more"),
)


def _plain_refusal(reason: str) -> str:
    lowered = reason.lower()
    return next(
        (plain for key, plain in PLAIN_REFUSALS if key in lowered), "the payment processor refused it"
    )


def payout_note(transfer, *, side: str, paused_until=None) -> str | None:
    """Why a payout (an escrow ``Transfer``) has not gone out, for one side; None when there is
    nothing to say beyond its status (sent, being sent, or waiting for the freelancer's payouts)."""
    status = transfer.Status
    freelancer = side == FREELANCER
    if transfer.status == status.STUCK:
        if freelancer:
            return (
                f"Delayed: it could not be sent because {_plain_refusal(transfer.last_error)}. "
                "Our staff are looking into it; check your payout details in the meantime."
            )
        return "Payment to the freelancer delayed. Nothing more is charged; our staff are looking into it."
    if transfer.status != status.BLOCKED:
        return None
    if paused_until is not None:
        day, hours = f"{paused_until:%-d %b %Y, %H:%M} UTC", settings.PAYOUT_PAUSE_HOURS
        if freelancer:
            return (
                f"Paused until {day}: your payout bank account changed, and payments wait {hours} hours "
                "after a change."
            )
        return f"Goes out on {day}: the freelancer changed their payout bank account ({hours}-hour pause)."
    if transfer.last_error:
        if freelancer:
            return f"Delayed: {_plain_refusal(transfer.last_error)}. It is tried again automatically."
        return "Payment to the freelancer delayed; it is tried again automatically."
    return None


def refund_note(refund) -> str | None:
    """Why a refund has not reached the client's card, in plain words; None when it has or is on its way."""
    if refund.status == refund.Status.STUCK:
        return (
            "Your refund is delayed: it could not be returned to your card. It is still owed to you; "
            "our staff are looking into it."
        )
    if refund.status == refund.Status.FAILED:
        return "Your card's bank refused the refund. It is still owed to you and is sent again automatically."
    return None
