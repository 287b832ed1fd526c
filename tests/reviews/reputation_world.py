"""Contracts that end in every way the job success score tells apart, through the real services:
paid out and completed, cancelled for a reason, a dispute decided by support; and the client's
review of the freelancer as a row in the state a test needs (published, hidden, removed).

Funding is the disputes tests' (``tests/disputes/world.py``: a paid charge row, the real funding
step); a release is paid out by recording its transfer as sent, as the processor's answer would."""

import pytest
from django.utils import timezone

from marketplace.contracts import services as contracts
from marketplace.contracts.models import Contract, Milestone
from marketplace.core.money import Money
from marketplace.disputes import services as disputes
from reviews.models import Review
from tests.disputes.world import escalated, make_support, open_dispute
from tests.factories import make_contract
from tests.reviews.world import paid


@pytest.fixture
def many_proposals(settings):
    """The builders hire through a proposal per contract: lift the freelancer's daily cap."""
    settings.PROPOSAL_DAILY_CAP = 1000


def completed(contract: Contract) -> Contract:
    contracts.contract_complete(acting_user=contract.client, contract=contract)
    contract.refresh_from_db()
    return contract


def good_contract(*, freelancer, amount: int = 100_000, **fields) -> Contract:
    """Completed with its one milestone paid out (good while no review says otherwise)."""
    contract = make_contract(freelancer=freelancer, milestones=[amount], **fields)
    paid(contract.milestones.get())
    return completed(contract)


def cancelled(contract: Contract, *, by, cancel_reason: str) -> Contract:
    """Cancelled by ``by`` through the service, for ``cancel_reason`` (``Contract.CancelReason``)."""
    contracts.contract_cancel(
        acting_user=by, contract=contract, reason="We are ending this contract.", cancel_reason=cancel_reason
    )
    contract.refresh_from_db()
    return contract


def decided(milestone: Milestone, *, outcome: str, release: int = 0, refund: int = 0, by=None):
    """A dispute on the funded milestone opened (by the client, unless ``by``), escalated and decided
    by support."""
    dispute = escalated(open_dispute(milestone, by=by, reason="not_delivered"))
    currency = milestone.contract.currency
    return disputes.dispute_decide(
        acting_user=make_support(),
        dispute=dispute,
        outcome=outcome,
        release=Money(release, currency) if release else None,
        refund=Money(refund, currency) if refund else None,
        reason="The evidence shows the work was not delivered.",
    )


def _review(
    contract: Contract, direction: str, overall: int, *, published: bool, removed: bool, **fields
) -> Review:
    now = timezone.now()
    of_freelancer = direction == Review.Direction.OF_FREELANCER
    return Review.objects.create(
        contract=contract,
        direction=direction,
        author=contract.client if of_freelancer else contract.freelancer,
        reviewee=contract.freelancer if of_freelancer else contract.client,
        organisation=contract.organisation,
        overall=overall,
        **dict.fromkeys(Review.SUB_SCORES[direction], overall),
        text="How the contract went, in the author's words.",
        revealed_at=now if published or removed else None,
        removed_at=now if removed else None,
        removal_reason="Shares private details." if removed else "",
        **fields,
    )


def client_review(
    contract: Contract, overall: int, *, published: bool = True, removed: bool = False
) -> Review:
    """The client side's review of the freelancer, revealed (``published``) or hidden, and removed
    by staff (``removed``)."""
    return _review(
        contract,
        Review.Direction.OF_FREELANCER,
        overall,
        published=published,
        removed=removed,
        would_hire_again=overall >= 3,
    )


def freelancer_review(
    contract: Contract, overall: int, *, published: bool = True, removed: bool = False
) -> Review:
    """The freelancer's review of the client."""
    return _review(contract, Review.Direction.OF_CLIENT, overall, published=published, removed=removed)
