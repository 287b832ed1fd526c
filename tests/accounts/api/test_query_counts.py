"""Every list endpoint makes the same number of queries for 1 row as for 50 (no N+1)."""

from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.accounts.models import Badge, City, FreelancerReputation, Image, PortfolioItem, Skill
from marketplace.organisations.services.organisations import invitation_create
from marketplace.organisations.services.pools import pool_invite
from tests.factories import add_member, add_to_pool, make_freelancer, make_organisation, make_user
from tests.support.api import as_user

pytestmark = pytest.mark.django_db

_serial = count()


def _image(owner, kind="avatar") -> Image:
    return Image.objects.create(
        owner=owner,
        kind=kind,
        file=f"images/test/{next(_serial)}.png",
        format="PNG",
        width=1,
        height=1,
        size_bytes=1,
    )


def _rich_freelancer(**fields):
    """A freelancer whose profile has everything a list shows: avatar, city, skills, badge, portfolio,
    reputation."""
    freelancer = make_freelancer(**fields)
    profile = freelancer.freelancer_profile
    profile.avatar = _image(freelancer)
    profile.city = City.objects.order_by("pk").first()
    profile.save()
    profile.skills.set(Skill.objects.order_by("pk")[:2])
    Badge.objects.create(user=freelancer, kind=Badge.Kind.EMAIL)
    PortfolioItem.objects.create(profile=profile, title="Work", image=_image(freelancer, "portfolio"))
    FreelancerReputation.objects.create(
        user=freelancer, rating_avg="4.50", rating_count=2, computed_at=timezone.now()
    )
    return freelancer


class Scenario:
    """``url`` as seen by ``viewer``; ``grow(n)`` brings the list to ``n`` rows."""

    max_rows = 50

    def __init__(self):
        self.rows = 0

    def grow(self, n):
        while self.rows < n:
            self.add()
            self.rows += 1


class Profiles(Scenario):
    def __init__(self, as_member: bool):
        super().__init__()
        self.organisation = make_organisation()
        self.viewer = add_member(self.organisation, "viewer") if as_member else None
        self.url = "/api/profiles/"

    def add(self):
        freelancer = _rich_freelancer()
        if self.viewer and self.rows % 2:  # half of them pool-only, in the viewer's pool
            add_to_pool(self.organisation, freelancer)
            freelancer.freelancer_profile.visibility = "pool"
            freelancer.freelancer_profile.save()


class Organisations(Scenario):
    def __init__(self):
        super().__init__()
        self.viewer = make_user(client=True)
        self.url = "/api/organisations/"

    def add(self):
        make_organisation(owner=self.viewer)


class Members(Scenario):
    def __init__(self):
        super().__init__()
        self.organisation = make_organisation()
        self.viewer = self.organisation.memberships.get().user
        self.rows = 1
        self.url = f"/api/organisations/{self.organisation.slug}/members/"

    def add(self):
        add_member(self.organisation, ["viewer", "admin", "finance"][self.rows % 3])


class Invitations(Scenario):
    def __init__(self):
        super().__init__()
        self.organisation = make_organisation()
        self.viewer = self.organisation.memberships.get().user
        self.url = f"/api/organisations/{self.organisation.slug}/invitations/"

    def add(self):
        inviter = add_member(self.organisation, "admin") if self.rows % 2 else self.viewer
        invitation_create(
            acting_user=inviter,
            organisation=self.organisation,
            email=f"i{next(_serial)}@example.com",
            role="viewer",
        )


class Pool(Scenario):
    def __init__(self):
        super().__init__()
        self.organisation = make_organisation()
        self.viewer = self.organisation.memberships.get().user
        self.url = f"/api/organisations/{self.organisation.slug}/pool/"

    def add(self):
        freelancer = _rich_freelancer()
        if self.rows % 2:
            add_to_pool(self.organisation, freelancer)
        else:
            pool_invite(
                acting_user=self.viewer, organisation=self.organisation, freelancer_email=freelancer.email
            )


class MyPoolMemberships(Scenario):
    def __init__(self):
        super().__init__()
        self.viewer = make_freelancer()
        self.url = "/api/me/pool-memberships/"

    def add(self):
        organisation = make_organisation()
        owner = organisation.memberships.get().user
        pool_invite(acting_user=owner, organisation=organisation, freelancer_email=self.viewer.email)


class MyPortfolio(Scenario):
    max_rows = 30  # a portfolio holds at most 30 items

    def __init__(self):
        super().__init__()
        self.viewer = make_freelancer()
        self.url = "/api/me/portfolio/"

    def add(self):
        image = _image(self.viewer, "portfolio") if self.rows % 2 else None
        PortfolioItem.objects.create(
            profile=self.viewer.freelancer_profile, title=f"Item {self.rows}", position=self.rows, image=image
        )


SCENARIOS = {
    "profiles, anonymous": lambda: Profiles(as_member=False),
    "profiles, as a pool's member": lambda: Profiles(as_member=True),
    "organisations": Organisations,
    "members": Members,
    "invitations": Invitations,
    "pool": Pool,
    "my pool memberships": MyPoolMemberships,
    "my portfolio": MyPortfolio,
}


def _queries(api, scenario) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(scenario.url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured), len(response.json()["results"])


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_list_costs_the_same_queries_for_1_and_for_50_rows(api, name):
    scenario = SCENARIOS[name]()
    if scenario.viewer is not None:
        as_user(scenario.viewer, api)
    scenario.grow(1)
    api.get(scenario.url)  # warm the session and content-type caches
    one, rows = _queries(api, scenario)
    assert rows == 1
    scenario.grow(scenario.max_rows)
    many, rows = _queries(api, scenario)
    assert rows == scenario.max_rows
    assert many == one
