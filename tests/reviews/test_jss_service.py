"""The job success score on real rows: contracts ended through the services (paid out and
completed, cancelled with a reason, a dispute decided by support) and the client's reviews in every
state. Only published reviews count; the rating is over all time; the recompute costs the same
queries for 1 contract as for 50."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.contracts.models import Contract
from marketplace.disputes.models import Dispute
from reviews.services.reputation import freelancer_reputation_recompute
from tests.disputes.world import fund
from tests.factories import make_client, make_contract, make_freelancer
from tests.reviews.reputation_world import (
    cancelled,
    client_review,
    completed,
    decided,
    freelancer_review,
    good_contract,
    many_proposals,  # noqa: F401 (fixture)
    paid,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("many_proposals")]
Outcome = Dispute.Outcome


def counts(freelancer) -> tuple[int, int, int]:
    reputation = freelancer_reputation_recompute(freelancer)
    return reputation.good_contracts, reputation.bad_contracts, reputation.neutral_contracts


def disputed(freelancer, *, outcome: str, release: int = 0, refund: int = 0) -> Contract:
    """Its first milestone paid out, a dispute on the second decided by support, then completed."""
    contract = make_contract(freelancer=freelancer, milestones=[40_000, 60_000])
    first, second = contract.milestones.order_by("position")
    paid(first)
    decided(fund(second), outcome=outcome, release=release, refund=refund)
    client_review(completed(contract), 5)
    return contract


@pytest.mark.parametrize(
    ("outcome", "release", "refund", "expected"),
    [
        (Outcome.REFUND_ALL, 0, 0, (0, 1, 0)),  # lost: bad, whatever the client's 5 stars say
        (Outcome.SPLIT, 20_000, 40_000, (0, 1, 0)),  # more refunded than released: lost
        (Outcome.SPLIT, 30_000, 30_000, (1, 0, 0)),  # half each: not lost
        (Outcome.RELEASE_ALL, 0, 0, (1, 0, 0)),  # won
    ],
)
def test_a_dispute_lost_by_the_freelancer_makes_the_contract_bad(outcome, release, refund, expected):
    freelancer = make_freelancer()
    disputed(freelancer, outcome=outcome, release=release, refund=refund)
    assert counts(freelancer) == expected


@pytest.mark.parametrize(
    ("funded", "by", "cancel_reason", "expected"),
    [
        (True, "client", Contract.CancelReason.NOT_DELIVERED, (0, 1, 0)),  # bad
        (False, "client", Contract.CancelReason.NOT_DELIVERED, (0, 0, 1)),  # never funded: neutral
        (True, "freelancer", Contract.CancelReason.NOT_DELIVERED, (0, 0, 1)),  # their own: neutral
        (True, "client", Contract.CancelReason.PLANS_CHANGED, (0, 0, 1)),  # another reason: neutral
    ],
)
def test_a_client_cancelling_for_non_delivery_after_funding_makes_it_bad(funded, by, cancel_reason, expected):
    freelancer = make_freelancer()
    contract = make_contract(freelancer=freelancer, milestones=[50_000])
    if funded:
        fund(contract.milestones.get())
    cancelled(contract, by=getattr(contract, by), cancel_reason=cancel_reason)
    assert counts(freelancer) == expected


def test_a_low_rating_makes_it_bad_only_while_published():
    freelancer = make_freelancer()
    contract = good_contract(freelancer=freelancer)
    review = client_review(contract, 2, published=False)
    assert counts(freelancer) == (1, 0, 0)  # hidden: as if there were none

    review.revealed_at = review.submitted_at
    review.save(update_fields=["revealed_at"])
    assert counts(freelancer) == (0, 1, 0)

    review.removed_at, review.removal_reason = review.revealed_at, "Abusive."
    review.save(update_fields=["removed_at", "removal_reason"])
    assert counts(freelancer) == (1, 0, 0)  # removed: no longer counts


@pytest.mark.parametrize(
    ("stars", "expected"), [(5, (1, 0, 0)), (4, (1, 0, 0)), (3, (0, 0, 1)), (1, (0, 1, 0))]
)
def test_the_client_s_stars_decide_between_good_neutral_and_bad(stars, expected):
    freelancer = make_freelancer()
    client_review(good_contract(freelancer=freelancer), stars)
    assert counts(freelancer) == expected


def test_a_completed_contract_with_no_money_released_is_neutral():
    freelancer = make_freelancer()
    completed(make_contract(freelancer=freelancer, milestones=[30_000]))  # its milestone never funded
    assert counts(freelancer) == (0, 0, 1)


def test_the_score_the_components_and_the_rating_are_saved():
    freelancer = make_freelancer()
    client = make_client()
    good = good_contract(freelancer=freelancer, client=client, amount=99_900)  # $999: weight 4
    client_review(good, 5)
    client_review(good_contract(freelancer=freelancer, amount=900), 4)  # $9: weight 2
    neutral = completed(make_contract(freelancer=freelancer, milestones=[9_900]))  # $99: weight 3
    client_review(neutral, 3, published=False)  # hidden: neither a rating nor a class
    freelancer_review(good, 1)  # the freelancer's review of the client: not theirs

    reputation = freelancer_reputation_recompute(freelancer)

    assert (reputation.good_contracts, reputation.bad_contracts, reputation.neutral_contracts) == (2, 0, 1)
    assert reputation.ended_contracts == 3
    assert reputation.good_weight == pytest.approx(6)
    assert reputation.total_weight == pytest.approx(9)
    assert reputation.job_success_score == 67  # 100 * 6 / 9 = 66.67
    assert reputation.period_months == 24  # fewer than 5 in the last 12 months
    assert (reputation.rating_avg, reputation.rating_count) == (Decimal("4.50"), 2)


def test_with_two_ended_contracts_the_score_is_not_shown_but_the_components_are_kept():
    freelancer = make_freelancer()
    good_contract(freelancer=freelancer)
    good_contract(freelancer=freelancer)
    make_contract(freelancer=freelancer)  # active: not ended, not counted
    reputation = freelancer_reputation_recompute(freelancer)
    assert (reputation.job_success_score, reputation.ended_contracts, reputation.good_contracts) == (
        None,
        2,
        2,
    )
    assert reputation.rating_avg is None


def test_a_contract_that_ended_more_than_24_months_ago_no_longer_counts():
    freelancer = make_freelancer()
    with time_machine.travel(datetime(2024, 1, 10, 12, tzinfo=UTC), tick=False):
        old = good_contract(freelancer=freelancer)
    with time_machine.travel(datetime(2025, 6, 1, 12, tzinfo=UTC), tick=False):
        for _ in range(3):
            good_contract(freelancer=freelancer)
    with time_machine.travel(old.ended_at + timedelta(days=730), tick=False):  # 24 months less a day
        assert freelancer_reputation_recompute(freelancer).ended_contracts == 4
    with time_machine.travel(datetime(2026, 1, 10, 12, 0, 1, tzinfo=UTC), tick=False):
        assert freelancer_reputation_recompute(freelancer).ended_contracts == 3


def test_the_recompute_costs_the_same_queries_for_1_contract_as_for_50():
    freelancer = make_freelancer()
    client = make_client()

    def add(n: int) -> None:
        """Every third paid out, completed and reviewed; the others cancelled by the client."""
        if n % 3 == 0:
            client_review(good_contract(freelancer=freelancer, client=client, amount=10_000 + n), 1 + n % 5)
        else:
            contract = make_contract(freelancer=freelancer, client=client, milestones=[10_000 + n])
            cancelled(contract, by=client, cancel_reason=Contract.CancelReason.NOT_DELIVERED)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            freelancer_reputation_recompute(freelancer)
        return len(captured)

    add(0)
    freelancer_reputation_recompute(freelancer)  # the row exists from now on
    one = queries()
    for n in range(1, 50):
        add(n)
    # Measured, like ``one``, when the figures stay as they were: a change also records the
    # profile for the search index (two queries, whatever the count; tests/search/test_indexing.py).
    freelancer_reputation_recompute(freelancer)
    many = queries()
    reputation = freelancer_reputation_recompute(freelancer)
    assert reputation.ended_contracts == 50
    assert many == one
