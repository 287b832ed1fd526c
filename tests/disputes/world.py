"""Contracts with money in escrow, for the dispute tests.

Funding goes through the real result step of a paid charge (``hold_fund``, which moves the milestone
through the contracts' receiver); a charge row stands for the PaymentIntent the card paid (the fake
Stripe's own tests cover the calls). Releases and refunds queue their processor calls by task name
after commit; no worker runs them here.
"""

from itertools import count

from django.db import transaction

from escrow import locks
from escrow.models import Charge
from escrow.services.holds import hold_fund
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Milestone
from marketplace.core.money import Money
from marketplace.disputes import services
from tests.factories import make_contract, make_user

_serial = count(1)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def fund(milestone: Milestone) -> Milestone:
    contract = milestone.contract
    hold = contracts.milestone_hold(acting_user=contract.client, milestone=milestone)
    n = next(_serial)
    with transaction.atomic():
        locked = locks.lock_hold(hold)
        charge = Charge.objects.create(
            hold=locked,
            idempotency_key=f"dispute-test-{n}-{hold.pk}",
            status=Charge.Status.SUCCEEDED,
            amount_minor=locked.charge_amount_minor,
            currency=locked.currency,
            payment_intent_id=f"pi_dispute_{n}_{hold.pk}",
            charge_id=f"ch_dispute_{n}_{hold.pk}",
        )
        hold_fund(hold=locked, charge=charge)
    milestone.refresh_from_db()
    return milestone


def submit(milestone: Milestone) -> Milestone:
    contracts.milestone_submit(
        acting_user=milestone.contract.freelancer, milestone=milestone, message="Done."
    )
    milestone.refresh_from_db()
    return milestone


def funded_contract(*amounts: int, submitted: bool = False, **contract_fields):
    """A contract whose milestones are all funded (and with ``submitted``, handed in)."""
    contract = make_contract(milestones=amounts or (60_000,), **contract_fields)
    for milestone in contract.milestones.order_by("position"):
        fund(milestone)
        if submitted:
            submit(milestone)
    return contract


def make_support(**fields):
    return make_user(is_support=True, **fields)


def open_dispute(milestone: Milestone, *, by=None, amount: int | None = None, **fields):
    milestone.refresh_from_db()
    return services.dispute_open(
        acting_user=by or milestone.contract.client,
        milestone=milestone,
        reason=fields.pop("reason", "quality"),
        description=fields.pop("description", "The work does not do what we agreed."),
        amount=usd(milestone.amount_minor if amount is None else amount),
        **fields,
    )


def escalated(dispute):
    """Both sides ask support: the dispute escalates at once."""
    contract = dispute.contract
    services.dispute_ask_support(acting_user=contract.client, dispute=dispute)
    services.dispute_ask_support(acting_user=contract.freelancer, dispute=dispute)
    dispute.refresh_from_db()
    return dispute
