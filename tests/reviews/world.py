"""Ended contracts for the review tests, built through the real services: milestones funded (a paid
charge row, as in tests/escrow/builders.py), handed in, approved and paid out (the transfer recorded
as sent, which moves the milestone to released), then the contract completed or cancelled."""

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count

from django.test import TestCase

from escrow.models import ConnectedAccount, Transfer
from escrow.services.payouts import transfer_record
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Contract, Milestone
from reviews import events, services
from tests.escrow.builders import fund_milestone, payouts_ready
from tests.factories import make_contract

_serial = count(1)

CLIENT_REVIEW = {
    "overall": 5,
    "text": "Clear, fast and careful work; the booking page does all we asked.",
    "sub_scores": {"quality": 5, "communication": 4, "expertise": 5, "deadlines": 4},
    "would_hire_again": True,
    "private_note": "Would like to see them on our next project.",
}
FREELANCER_REVIEW = {
    "overall": 4,
    "text": "Good brief, quick answers and the payment came on time.",
    "sub_scores": {"clarity": 4, "communication": 5, "payment_promptness": 4},
}


def paid(milestone: Milestone) -> Milestone:
    """Funded, handed in, approved and paid out to the freelancer (released)."""
    contract = milestone.contract
    fund_milestone(milestone)
    contracts.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    milestone.refresh_from_db()
    contracts.milestone_approve(acting_user=contract.client, milestone=milestone)
    transfer = Transfer.objects.get(settlement__hold_id=milestone.hold_id)
    transfer_record(transfer_id=transfer.pk, processor_id=f"tr_review_{next(_serial)}")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    return milestone


def ended_contract(*, paid_out: bool = True, end: str | None = "completed", **contract_fields) -> Contract:
    """A contract of two milestones, the first paid out when ``paid_out``; then ``end``: "completed"
    (the rest closed unfunded), "cancelled" (by the client) or None (left active)."""
    contract = make_contract(milestones=(("Design", 40_000), ("Build", 60_000)), **contract_fields)
    if not ConnectedAccount.objects.filter(user=contract.freelancer).exists():
        payouts_ready(contract.freelancer)
    if paid_out:
        paid(contract.milestones.get(position=1))
    if end == "cancelled":
        contracts.contract_cancel(
            acting_user=contract.client,
            contract=contract,
            reason="Plans changed.",
            cancel_reason="plans_changed",
        )
    elif end == "completed":
        contracts.contract_complete(acting_user=contract.client, contract=contract)
    contract.refresh_from_db()
    return contract


def review_by_client(contract: Contract, user=None, **changes):
    return services.review_submit(
        acting_user=user or contract.client, contract=contract, **{**CLIENT_REVIEW, **changes}
    )


def review_by_freelancer(contract: Contract, **changes):
    return services.review_submit(
        acting_user=contract.freelancer, contract=contract, **{**FREELANCER_REVIEW, **changes}
    )


def published_pair(contract: Contract):
    """Both sides' reviews, published by the second: (the client's, the freelancer's)."""
    by_client = review_by_client(contract)
    by_freelancer = review_by_freelancer(contract)
    by_client.refresh_from_db()
    assert by_client.is_published
    assert by_freelancer.is_published
    return by_client, by_freelancer


SIGNALS = {
    name: getattr(events, name)
    for name in ("reviews_revealed", "review_replied", "review_removed", "review_reported", "review_reminder")
}


@contextmanager
def recording() -> Iterator[list[tuple[str, dict]]]:
    """Every reviews event sent meanwhile, as (name, kwargs without the signal and sender); what the
    services send after commit runs at the end of the block, as a real commit would run it."""
    heard: list[tuple[str, dict]] = []
    receivers = {}
    for name, signal in SIGNALS.items():

        def receiver(sender, signal=None, _name=name, **kwargs):
            heard.append((_name, kwargs))

        receivers[name] = receiver
        signal.connect(receiver, weak=False, dispatch_uid=f"tests.reviews.{name}")
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            yield heard
    finally:
        for name, signal in SIGNALS.items():
            signal.disconnect(dispatch_uid=f"tests.reviews.{name}")
