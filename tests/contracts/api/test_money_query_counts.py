"""The milestones and money lists make the same number of queries for 1 row as for 50 (no N+1):
a contract's milestones (with submissions, files and people), its ledger (transactions with their
entries and accounts), receipts and earnings."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from escrow.models import Hold
from marketplace.contracts.models import Milestone
from marketplace.contracts.services import milestone_request_revision, milestone_submit
from tests.escrow.builders import fund_milestone, paid_history, release
from tests.factories import make_client, make_contract, make_freelancer, make_organisation
from tests.support.api import ListScenario

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% work\n"


def _more_milestones(contract, upto: int) -> None:
    """Milestone rows beyond the schedule's 20 (reads do not care how they were agreed)."""
    for position in range(contract.milestones.count() + 1, upto + 1):
        Milestone.objects.create(
            contract=contract, position=position, title=f"Part {position}", amount_minor=10_000
        )


class Milestones(ListScenario):
    """Every other milestone funded, every third with work handed in (with a file), the first also
    answered with a request for changes."""

    def __init__(self, by_key: bool = False):
        super().__init__()
        organisation = make_organisation()
        owner = organisation.memberships.get().user
        self.contract = make_contract(
            client=owner, organisation=organisation, milestones=[("Part 1", 10_000)]
        )
        self.viewer, self.key_for = (None, organisation) if by_key else (self.contract.freelancer, None)
        self.url = f"/api/contracts/{self.contract.pk}/milestones/"

    def add(self, n):
        _more_milestones(self.contract, n + 1)
        milestone = Milestone.objects.select_related("contract").get(contract=self.contract, position=n + 1)
        if n % 2 == 0 or n % 3 == 0:
            fund_milestone(milestone)
        if n % 3 == 0:
            milestone_submit(
                acting_user=self.contract.freelancer,
                milestone=milestone,
                message=f"Part {n + 1} done.",
                files=[("work.pdf", PDF)],
            )
        if n == 0:
            milestone_request_revision(
                acting_user=self.contract.client, milestone=milestone, message="Redo it."
            )


class Ledger(ListScenario):
    """Funding and releases (with three entries each) of the contract's milestones, one per row."""

    def __init__(self):
        super().__init__()
        self.contract = make_contract(milestones=[("Part 1", 10_000)])
        self.viewer = self.contract.client
        self.url = f"/api/contracts/{self.contract.pk}/ledger/"

    def add(self, n):
        position = n // 2 + 1
        _more_milestones(self.contract, position)
        milestone = Milestone.objects.select_related("contract").get(
            contract=self.contract, position=position
        )
        if n % 2 == 0:
            fund_milestone(milestone)
        else:
            release(Hold.objects.get(milestone=milestone), sent=False)


class Paid(ListScenario):
    """Milestones paid by the client and paid out to the freelancer: a charge and a transfer each."""

    def __init__(self, as_who: str, url: str):
        super().__init__()
        self.client_user, self.freelancer = make_client(), make_freelancer()
        self.viewer = self.client_user if as_who == "client" else self.freelancer
        self.url = url

    def grow(self, n: int) -> None:
        if n > self.rows:
            paid_history(n - self.rows, client=self.client_user, freelancer=self.freelancer)
            self.rows = n


class Earnings(Paid):
    def count(self, body) -> int:
        return sum(len(currency["holds"]) for currency in body["currencies"])


SCENARIOS = {
    "a contract's milestones": Milestones,
    "a contract's milestones, by API key": lambda: Milestones(by_key=True),
    "a contract's ledger": Ledger,
    "receipts of the client (payments)": lambda: Paid("client", "/api/me/receipts/"),
    "receipts of the freelancer (payouts)": lambda: Paid("freelancer", "/api/me/receipts/"),
    "earnings": lambda: Earnings("freelancer", "/api/me/earnings/"),
}


def _queries(api, scenario) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(scenario.url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured), scenario.count(response.json())


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_money_list_costs_the_same_queries_for_1_and_for_50_rows(name):
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
