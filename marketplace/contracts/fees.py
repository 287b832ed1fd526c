"""A contract's fee split, and each milestone's share of it: the one home of that rule.

The shares are the cumulative split of ``escrow.fees`` over the milestones in order, so they add up
to the fees on the contract's total. Funding a milestone fixes its share on its escrow hold; pages
and the API show the same numbers from here.
"""

from escrow.fees import FeeBreakdown, schedule_breakdown

from .models import Contract


def contract_breakdown(contract: Contract) -> tuple[FeeBreakdown, list[FeeBreakdown]]:
    """The breakdown of the whole and of each milestone (in order), from the contract's own rates.
    Reads ``contract.milestones.all()``, which the contract selectors prefetch."""
    return schedule_breakdown(
        contract.amount_minor,
        [milestone.amount_minor for milestone in contract.milestones.all()],
        client_fee_bp=contract.client_fee_bp,
        freelancer_fee_bp=contract.freelancer_fee_bp,
    )


def milestone_fee_parts(contract: Contract) -> dict[int, FeeBreakdown]:
    """Each milestone's share of the contract's fees, by milestone id."""
    _whole, parts = contract_breakdown(contract)
    return {milestone.pk: part for milestone, part in zip(contract.milestones.all(), parts, strict=True)}
