"""The disputes lists make the same number of queries for 1 row as for 50 (no N+1): a party's
disputes (as the freelancer, and by the organisation's API key) and the support staff's queue, each
row with its contract, milestone and people (and in the queue the assigned support user)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.contracts.models import Milestone
from marketplace.disputes import services
from tests.disputes.world import escalated, fund, make_support, open_dispute
from tests.factories import make_contract, make_organisation
from tests.support.api import ListScenario

pytestmark = pytest.mark.django_db


class Disputes(ListScenario):
    """One organisation's contract with a disputed milestone per row: every other one escalated to
    support and assigned, every third opened by the freelancer."""

    def __init__(self, as_who: str, url: str):
        super().__init__()
        organisation = make_organisation()
        owner = organisation.memberships.get().user
        self.contract = make_contract(client=owner, organisation=organisation, milestones=[10_000])
        self.support = make_support()
        self.viewer = {"freelancer": self.contract.freelancer, "support": self.support}.get(as_who)
        self.key_for = organisation if as_who == "key" else None
        self.url = url

    def add(self, n):
        milestone = Milestone.objects.create(
            contract=self.contract, position=n + 2, title=f"Part {n + 2}", amount_minor=10_000
        )
        milestone = fund(Milestone.objects.select_related("contract").get(pk=milestone.pk))
        opener = self.contract.freelancer if n % 3 == 0 else self.contract.client
        dispute = open_dispute(milestone, by=opener, amount=5_000)
        if n % 2 == 0:
            escalated(dispute)
            services.dispute_assign(acting_user=self.support, dispute=dispute, assignee=self.support)


SCENARIOS = {
    "a party's disputes": lambda: Disputes("freelancer", "/api/disputes/"),
    "an organisation's disputes, by API key": lambda: Disputes("key", "/api/disputes/"),
    "the support queue": lambda: Disputes("support", "/api/support/disputes/"),
}


def _queries(api, scenario) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(scenario.url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured), scenario.count(response.json())


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_disputes_list_costs_the_same_queries_for_1_and_for_50_rows(name):
    scenario = SCENARIOS[name]()
    api = scenario.client()
    scenario.grow(1)
    api.get(scenario.url)  # warm the session and content-type caches
    one, rows = _queries(api, scenario)
    assert rows == 1
    scenario.grow(50)
    many, rows = _queries(api, scenario)
    assert rows == 50
    assert many == one
