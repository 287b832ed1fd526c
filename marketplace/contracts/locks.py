"""Row locks of contracts and milestones, taken in the platform's one lock order.

The order, written once in ``escrow/locks.py``: hold → escrow row (charge, transfer, refund) → ledger
accounts in pk order → milestone / contract rows. A contract service that may move money locks the
milestones' holds first (escrow's helper), then the milestones, then the contract; escrow's own
writes lock the hold first and reach the milestone last, in its events' receivers. Two writers
that follow one order queue behind each other instead of deadlocking or reading a state the other
is about to change.
"""

from escrow.locks import lock_holds
from marketplace.core.exceptions import Conflict

from .models import Contract, Milestone


def lock_milestone(milestone: Milestone, *, active: bool = True) -> Milestone:
    """The milestone's hold (when it has one), then the milestone, locked and read fresh with its
    contract; refused when ``active`` and the contract has ended."""
    if milestone.hold_id:
        lock_holds([milestone.hold_id])
    locked = Milestone.objects.select_for_update(of=("self",)).select_related("contract").get(pk=milestone.pk)
    if active and locked.contract.status != Contract.Status.ACTIVE:
        raise Conflict("This contract has ended.", code="contract_not_active")
    return locked


def lock_milestone_of_hold(hold) -> Milestone | None:
    """Inside escrow's transaction (the hold locked already): the hold's milestone, locked."""
    return (
        Milestone.objects.select_for_update(of=("self",)).select_related("contract").filter(hold=hold).first()
    )


def lock_contract_milestones(contract: Contract) -> list[Milestone]:
    """Every hold of the contract's milestones (pk order), then the milestones (pk order)."""
    hold_ids = Milestone.objects.filter(contract=contract, hold__isnull=False).values_list(
        "hold_id", flat=True
    )
    lock_holds(sorted(hold_ids))
    return list(Milestone.objects.select_for_update().filter(contract=contract).order_by("pk"))
