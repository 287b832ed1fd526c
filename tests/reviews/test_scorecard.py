"""The client scorecard: its arithmetic (days to approve, days to pay, stars, rounding) and, on real
rows, a person's card apart from their organisation's, with only published reviews and the
client side's own disputes; the recompute costs the same queries for 1 contract as for 50."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import ClientScorecard
from marketplace.contracts import services as contracts
from reviews.reputation.scorecard import MilestoneTimes, approval_times, funding_times, mean_days, mean_stars
from reviews.selectors import client_scorecard_for, client_scorecard_for_job
from reviews.services import client_scorecard_recompute
from tests.disputes.world import fund, open_dispute, submit
from tests.factories import make_client, make_contract, make_job, make_organisation
from tests.reviews.reputation_world import (
    client_review,
    freelancer_review,
    many_proposals,  # noqa: F401 (fixture)
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("many_proposals")]
T0 = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def times(position, *, funded=None, submitted=None, approved=None, contract=1) -> MilestoneTimes:
    at = {
        k: None if v is None else T0 + v * DAY for k, v in (("f", funded), ("s", submitted), ("a", approved))
    }
    return MilestoneTimes(contract, position, T0, at["f"], at["s"], at["a"])


class TestArithmetic:
    def test_days_are_averaged_to_one_decimal_halves_up(self):
        assert mean_days([DAY, 2 * DAY]) == Decimal("1.5")
        assert mean_days([DAY + timedelta(minutes=72)]) == Decimal("1.1")  # 1.05 days
        assert mean_days([timedelta(hours=1)]) == Decimal("0.0")
        assert mean_days([]) is None

    def test_stars_are_averaged_to_two_decimals_halves_up(self):
        assert mean_stars(9, 2) == Decimal("4.50")
        assert mean_stars(14, 3) == Decimal("4.67")
        assert mean_stars(5, 8) == Decimal("0.63")  # 0.625
        assert mean_stars(0, 0) is None

    def test_approval_runs_from_the_hand_in_to_the_approval(self):
        milestones = [
            times(1, funded=0, submitted=2, approved=3.5),
            times(2, funded=4, submitted=5),
            times(3),
        ]
        assert approval_times(milestones) == [1.5 * DAY]

    def test_funding_runs_from_when_it_could_be_funded(self):
        milestones = [
            times(1, funded=2, submitted=3, approved=4),  # from the start: 2 days
            times(2, funded=4.5, submitted=6, approved=7),  # from the first's approval: half a day
            times(3, funded=6.5),  # ahead of the second's approval: 0
            times(4, funded=8),  # the third was never approved: ahead, 0
            times(1, funded=1, contract=2),  # another contract's first: 1 day
            times(2, contract=2),  # not funded: not counted
        ]
        assert sorted(funding_times(milestones)) == sorted([2 * DAY, DAY / 2, 0 * DAY, 0 * DAY, DAY])


def test_a_person_s_card_counts_their_own_hiring_and_not_their_organisation_s():
    organisation = make_organisation()
    person = organisation.memberships.get().user
    hired = make_contract(client=person, milestones=[10_000])
    make_job(client=person, title="Posted, nobody hired")
    make_job(client=person, title="Still a draft", publish=False)
    org_contract = make_contract(client=person, organisation=organisation, milestones=[10_000])

    card = client_scorecard_recompute(user=person)
    assert (card.jobs_posted, card.jobs_hired, card.hire_rate) == (2, 1, 50)
    org_card = client_scorecard_recompute(organisation=organisation)
    assert (org_card.jobs_posted, org_card.jobs_hired) == (1, 1)

    assert client_scorecard_for(user=person) == card
    assert client_scorecard_for(organisation=organisation) == org_card
    assert client_scorecard_for_job(hired.job) == card
    assert client_scorecard_for_job(org_contract.job) == org_card


def test_days_to_approve_and_to_pay_on_real_milestones():
    with time_machine.travel(T0, tick=False) as clock:
        contract = make_contract(milestones=[20_000, 30_000])
        first, second = contract.milestones.order_by("position")
        clock.move_to(T0 + 2 * DAY)
        fund(first)  # 2 days after the start
        clock.move_to(T0 + 5 * DAY)
        submit(first)
        clock.move_to(T0 + 6 * DAY)
        contracts.milestone_approve(acting_user=contract.client, milestone=first)  # 1 day
        clock.move_to(T0 + 6.5 * DAY)
        fund(second)  # half a day after the first's approval
        clock.move_to(T0 + 8 * DAY)
        submit(second)
        clock.move_to(T0 + 11 * DAY)
        contracts.milestone_approve(acting_user=contract.client, milestone=second)  # 3 days

    card = client_scorecard_recompute(user=contract.client)
    assert card.avg_days_to_approve == Decimal("2.0")
    assert card.avg_days_to_pay == Decimal("1.3")  # 1.25, halves up


def test_only_published_reviews_and_the_client_side_s_own_disputes_count():
    client = make_client()
    contracts_ = [make_contract(client=client, milestones=[10_000, 10_000]) for _ in range(3)]
    for contract in contracts_:
        contracts.contract_complete(acting_user=client, contract=contract)
    client_review(contracts_[0], 5)
    client_review(contracts_[1], 4)
    client_review(contracts_[2], 1, published=False)  # hidden: not given yet, as far as anyone knows
    freelancer_review(contracts_[0], 3)
    freelancer_review(contracts_[1], 1, published=False)
    freelancer_review(contracts_[2], 5, removed=True)

    running = make_contract(client=client, milestones=[10_000, 10_000])
    first, second = running.milestones.order_by("position")
    open_dispute(fund(first), by=client)
    open_dispute(fund(second), by=running.freelancer, reason="not_approved")

    card = client_scorecard_recompute(user=client)
    assert (card.avg_rating_given, card.ratings_given) == (Decimal("4.50"), 2)
    assert (card.rating_avg, card.rating_count) == (Decimal("3.00"), 1)
    assert card.disputes_opened == 1
    assert (card.avg_days_to_approve, card.avg_days_to_pay) == (None, Decimal("0.0"))


def test_a_scorecard_is_of_a_user_or_of_an_organisation():
    with pytest.raises(TypeError):
        client_scorecard_recompute()
    with pytest.raises(TypeError):
        client_scorecard_recompute(user=make_client(), organisation=make_organisation())
    assert not ClientScorecard.objects.exists()


def test_the_recompute_costs_the_same_queries_for_1_contract_as_for_50():
    organisation = make_organisation()
    owner = organisation.memberships.get().user

    def add(n: int) -> None:
        """Every other one with work handed in; every sixth completed and reviewed both ways."""
        contract = make_contract(client=owner, organisation=organisation, milestones=[10_000 + n, 5_000])
        if n % 2 == 0:
            submit(fund(contract.milestones.get(position=1)))
        elif n % 3 == 0:
            contracts.contract_complete(acting_user=owner, contract=contract)
            client_review(contract, 1 + n % 5)
            freelancer_review(contract, 1 + (n + 2) % 5)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client_scorecard_recompute(organisation=organisation)
        return len(captured)

    add(0)
    client_scorecard_recompute(organisation=organisation)
    one = queries()
    for n in range(1, 50):
        add(n)
    # Measured, like ``one``, when the figures stay as they were: a change also records the open
    # jobs for the search index (tests/search/test_indexing_jobs.py).
    client_scorecard_recompute(organisation=organisation)
    many = queries()
    assert client_scorecard_recompute(organisation=organisation).jobs_hired == 50
    assert many == one
