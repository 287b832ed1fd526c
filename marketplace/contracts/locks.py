"""Locks of contracts and milestones, in the platform's one lock order.

The order, written once in ``escrow/locks.py``: hold → escrow row (charge, transfer, refund) → ledger
accounts in pk order → milestone / contract rows. A milestone that has money has a hold, and every
writer of such a milestone — funding, submitting, asking for changes, approving, refunding,
cancelling the contract — takes its hold first. So the hold's lock guards the milestone's state:
under it, the milestone is read fresh and checked, the money moves (escrow's own locks, levels 1 to 3),
and the milestone row is locked last, by ``transition``. Two writers of one milestone queue at its
hold instead of deadlocking or acting on a state the other is about to change.
"""

from escrow.locks import lock_holds
from escrow.models import Hold
from marketplace.core.exceptions import Conflict

from .models import Contract, Milestone


def _refuse_if_ended(milestone: Milestone) -> Milestone:
    if milestone.contract.status != Contract.Status.ACTIVE:
        raise Conflict("This contract has ended.", code="contract_not_active")
    return milestone


def refuse_if_disputed(milestone: Milestone, doing: str) -> Milestone:
    """Under the hold's lock: refuse (409 ``dispute_open``) while a dispute freezes the milestone's
    money. Contracts cannot see disputes (they are above it); a frozen hold is what one leaves."""
    if milestone.hold_id and Hold.objects.filter(pk=milestone.hold_id, status=Hold.Status.FROZEN).exists():
        raise Conflict(
            f"A dispute about this milestone is open, so it cannot be {doing} until the dispute ends.",
            code="dispute_open",
        )
    return milestone


def milestone_under_hold(milestone: Milestone, *, active: bool = True) -> Milestone:
    """The milestone's hold locked, and the milestone read fresh under it (with its contract);
    refused when ``active`` and the contract has ended. The milestone row itself is locked later,
    when ``transition`` moves it, after any money has moved."""
    if milestone.hold_id:
        lock_holds([milestone.hold_id])
    fresh = Milestone.objects.select_related("contract").get(pk=milestone.pk)
    return _refuse_if_ended(fresh) if active else fresh


def lock_milestone(milestone: Milestone) -> Milestone:
    """For a move that carries no money (making the hold, handing in work, asking for changes): the
    hold (when there is one), then the milestone row, locked; refused once the contract has ended."""
    if milestone.hold_id:
        lock_holds([milestone.hold_id])
    locked = Milestone.objects.select_for_update(of=("self",)).select_related("contract").get(pk=milestone.pk)
    return _refuse_if_ended(locked)


def milestone_of_locked_hold(hold) -> Milestone | None:
    """Inside escrow's transaction, the hold locked already: the hold's milestone, read fresh."""
    return Milestone.objects.select_related("contract").filter(hold=hold).first()


def lock_contract_milestones(contract: Contract) -> list[Milestone]:
    """Every hold of the contract's milestones (pk order), then the milestones (pk order); refused
    (409 ``dispute_open``) while a dispute freezes any of those holds."""
    hold_ids = Milestone.objects.filter(contract=contract, hold__isnull=False).values_list(
        "hold_id", flat=True
    )
    holds = lock_holds(sorted(hold_ids))
    if any(hold.status == Hold.Status.FROZEN for hold in holds):
        raise Conflict(
            "A dispute about this contract's money is open: the contract cannot end until it is "
            "settled, decided or withdrawn.",
            code="dispute_open",
        )
    return list(Milestone.objects.select_for_update().filter(contract=contract).order_by("pk"))
