"""Every list endpoint of the jobs API makes the same number of queries for 1 row as for 50 (no N+1)."""

from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.accounts.models import City, Skill
from marketplace.contracts.services import contract_complete, offer_accept
from marketplace.core.models import StoredFile
from marketplace.jobs.models import JobTemplate
from marketplace.jobs.services import job_invite
from tests.factories import (
    add_member,
    add_to_pool,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)
from tests.support.api import ListScenario

pytestmark = pytest.mark.django_db

_serial = count()


def _rich_job(n: int, *, organisation=None, client=None, **fields):
    """A job with what a list shows: skills, a city (on site) or none, an organisation or none."""
    extra = {"skills": list(Skill.objects.order_by("pk").values_list("pk", flat=True)[n % 3 : n % 3 + 2])}
    if n % 2:
        extra |= {
            "location_type": "onsite",
            "city": City.objects.order_by("pk").values_list("pk", flat=True)[n % 5],
        }
    return make_job(organisation=organisation, client=client, **extra, **fields)


def _attach(owner) -> None:
    owner.attachments.add(
        StoredFile.objects.create(
            owner_kind="jobs.proposal",
            file=f"attachments/test/{next(_serial)}.pdf",
            original_name="brief.pdf",
            content_type="application/pdf",
            size=10,
        )
    )


class FindWork(ListScenario):
    def __init__(self, as_pool_freelancer: bool):
        super().__init__()
        self.organisation = make_organisation()
        self.viewer = make_freelancer() if as_pool_freelancer else None
        if self.viewer:
            add_to_pool(self.organisation, self.viewer)
        self.url = "/api/jobs/"

    def add(self, n):
        if self.viewer and n % 2:
            _rich_job(n, organisation=self.organisation, visibility="pool")
        else:
            _rich_job(n, organisation=self.organisation if n % 3 else None)


class MyJobs(ListScenario):
    def __init__(self, by_key: bool = False):
        super().__init__()
        self.organisation = make_organisation()
        owner = self.organisation.memberships.get().user
        self.viewer, self.key_for = (None, self.organisation) if by_key else (owner, None)
        self.url = "/api/jobs/mine/"

    def add(self, n):
        job = _rich_job(n, organisation=self.organisation, publish=bool(n % 2))
        if n % 3 == 0 and job.status == "open":
            make_proposal(job)


class JobInvitations(ListScenario):
    def __init__(self):
        super().__init__()
        self.job = make_job()
        self.viewer = self.job.client
        self.url = f"/api/jobs/{self.job.pk}/invitations/"

    def add(self, n):
        freelancer = make_freelancer()
        job_invite(
            acting_user=self.viewer, job=self.job, freelancer_handle=freelancer.freelancer_profile.handle
        )


class MyJobInvitations(ListScenario):
    def __init__(self):
        super().__init__()
        self.viewer = make_freelancer()
        self.url = "/api/job-invitations/"

    def add(self, n):
        job = _rich_job(n, organisation=make_organisation() if n % 2 else None)
        job_invite(acting_user=job.client, job=job, freelancer_handle=self.viewer.freelancer_profile.handle)


class JobProposals(ListScenario):
    def __init__(self, by_key: bool = False):
        super().__init__()
        organisation = make_organisation()
        self.job = make_job(organisation=organisation)
        self.viewer, self.key_for = (None, organisation) if by_key else (self.job.client, None)
        self.url = f"/api/jobs/{self.job.pk}/proposals/"

    def add(self, n):
        proposal = make_proposal(self.job)
        if n % 2:
            _attach(proposal)


class MyProposals(ListScenario):
    def __init__(self):
        super().__init__()
        self.viewer = make_freelancer()
        self.url = "/api/proposals/"

    def add(self, n):
        proposal = make_proposal(_rich_job(n), freelancer=self.viewer)
        if n % 2:
            _attach(proposal)


class Offers(ListScenario):
    def __init__(self, role: str):
        super().__init__()
        self.role = role
        self.organisation = make_organisation()
        owner = self.organisation.memberships.get().user
        self.viewer = {"freelancer": make_freelancer(), "client": owner, "key": None}[role]
        self.key_for = self.organisation if role == "key" else None
        self.url = "/api/offers/" + (f"?role={role}" if role in ("freelancer", "client") else "")

    def add(self, n):
        if self.role == "freelancer":
            proposal = make_proposal(
                _rich_job(n, organisation=make_organisation() if n % 2 else None), freelancer=self.viewer
            )
        else:
            proposal = make_proposal(_rich_job(n, organisation=self.organisation))
        offer = make_offer(proposal)
        if n % 3 == 0:
            offer_accept(acting_user=proposal.freelancer, offer=offer)


class Contracts(ListScenario):
    def __init__(self, by_key: bool = False):
        super().__init__()
        self.organisation = make_organisation()
        self.freelancer = make_freelancer()
        self.viewer, self.key_for = (None, self.organisation) if by_key else (self.freelancer, None)
        self.url = "/api/contracts/"

    def add(self, n):
        organisation = self.organisation if self.key_for or n % 2 else None
        job = _rich_job(n, organisation=organisation)
        proposal = make_proposal(job, freelancer=self.freelancer)
        contract = offer_accept(acting_user=self.freelancer, offer=make_offer(proposal))
        if n % 4 == 0:
            contract_complete(acting_user=job.client, contract=contract)


class Templates(ListScenario):
    def __init__(self, by_key: bool = False):
        super().__init__()
        self.organisation = make_organisation()
        owner = self.organisation.memberships.get().user
        self.viewer, self.key_for = (None, self.organisation) if by_key else (owner, None)
        self.colleague = add_member(self.organisation, "hiring_manager")
        self.url = "/api/job-templates/"

    def add(self, n):
        owner = self.colleague if n % 2 else self.organisation.memberships.get(role="owner").user
        JobTemplate.objects.create(
            owner=owner, organisation=self.organisation, name=f"T{n}", fields={"title": "x"}
        )


SCENARIOS = {
    "find work, anonymous": lambda: FindWork(as_pool_freelancer=False),
    "find work, as a pool freelancer": lambda: FindWork(as_pool_freelancer=True),
    "my jobs": MyJobs,
    "my jobs, by API key": lambda: MyJobs(by_key=True),
    "a job's invitations": JobInvitations,
    "my invitations": MyJobInvitations,
    "a job's proposals": JobProposals,
    "a job's proposals, by API key": lambda: JobProposals(by_key=True),
    "my proposals": MyProposals,
    "offers received": lambda: Offers("freelancer"),
    "offers sent": lambda: Offers("client"),
    "offers, by API key": lambda: Offers("key"),
    "contracts": Contracts,
    "contracts, by API key": lambda: Contracts(by_key=True),
    "job templates": Templates,
    "job templates, by API key": lambda: Templates(by_key=True),
}


def _queries(api, scenario) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(scenario.url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_list_costs_the_same_queries_for_1_and_for_50_rows(settings, name):
    settings.PROPOSAL_DAILY_CAP = 100
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
