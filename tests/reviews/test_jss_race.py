"""Recomputes of one person running at once (a contract's task beside the nightly run) each end
with the one row, never an error: the first save of a reputation or a scorecard is an insert that
two can race for, and the loser updates the winner's row."""

from marketplace.accounts.models import ClientScorecard, FreelancerReputation
from reviews.services import client_scorecard_recompute, freelancer_reputation_recompute
from tests.factories import make_freelancer
from tests.reviews.reputation_world import good_contract
from tests.support.concurrently import at_once


def test_first_recomputes_racing_leave_one_row_each(transactional_db):
    contract = good_contract(freelancer=make_freelancer())
    freelancer, client = contract.freelancer, contract.client

    outcomes = at_once(
        lambda: freelancer_reputation_recompute(freelancer),
        lambda: freelancer_reputation_recompute(freelancer),
        lambda: client_scorecard_recompute(user=client),
        lambda: client_scorecard_recompute(user=client),
    )

    assert [type(outcome) for outcome in outcomes] == [FreelancerReputation] * 2 + [ClientScorecard] * 2
    assert FreelancerReputation.objects.get(user=freelancer).good_contracts == 1
    assert ClientScorecard.objects.get(user=client).jobs_hired == 1
