"""The reviews lists make the same number of queries for 1 row as for 50 (no N+1): a side's reviews
waiting, staff's queue of reported reviews, and a freelancer's published reviews — and a profile with
100 reviews costs what one with a single review costs, its page of reviews and the profile itself
(with its reputation)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.accounts.models import FreelancerReputation
from reviews.services import review_reply, review_report
from tests.factories import make_freelancer, make_organisation, make_user
from tests.reviews.world import ended_contract, published_pair
from tests.support.api import ListScenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_proposal_cap(settings):
    """One freelancer hired 100 times in a day here: past the daily cap on proposals."""
    settings.PROPOSAL_DAILY_CAP = 1000


class Waiting(ListScenario):
    """Ended contracts of one freelancer, every other one for an organisation."""

    url = "/api/reviews/waiting/"

    def __init__(self):
        super().__init__()
        self.viewer = make_freelancer()

    def add(self, n):
        organisation = make_organisation() if n % 2 else None
        ended_contract(freelancer=self.viewer, organisation=organisation)


class Reported(ListScenario):
    """A published review per row (every other one for an organisation, every third replied to), each
    reported once, seen by staff."""

    url = "/api/staff/review-reports/"

    def __init__(self):
        super().__init__()
        self.viewer = make_user(staff=True)

    def add(self, n):
        organisation = make_organisation() if n % 2 else None
        of_freelancer, _ = published_pair(ended_contract(organisation=organisation))
        if n % 3 == 0:
            review_reply(acting_user=of_freelancer.reviewee, review=of_freelancer, text="Thanks.")
        review_report(acting_user=of_freelancer.reviewee, review=of_freelancer, reason="other")


class ProfileReviews(ListScenario):
    """One freelancer's published reviews, read by nobody logged in; every other one for an
    organisation, every third replied to."""

    def __init__(self):
        super().__init__()
        self.freelancer = make_freelancer()
        self.handle = self.freelancer.freelancer_profile.handle
        self.url = f"/api/freelancers/{self.handle}/reviews/"
        FreelancerReputation.objects.create(
            user=self.freelancer, rating_avg="4.50", rating_count=1, computed_at=timezone.now()
        )

    def add(self, n):
        organisation = make_organisation() if n % 2 else None
        of_freelancer, _ = published_pair(
            ended_contract(freelancer=self.freelancer, organisation=organisation)
        )
        if n % 3 == 0:
            review_reply(acting_user=self.freelancer, review=of_freelancer, text="Thank you!")


def _queries(api, url: str) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url, {"page_size": 100})
    assert response.status_code == 200, response.content
    return len(captured), response.json()


SCENARIOS = {"reviews waiting": Waiting, "the staff queue": Reported, "a profile's reviews": ProfileReviews}


@pytest.mark.parametrize("name", SCENARIOS)
def test_a_reviews_list_costs_the_same_queries_for_1_and_for_50_rows(name):
    scenario = SCENARIOS[name]()
    api = scenario.client()
    scenario.grow(1)
    api.get(scenario.url)  # warm the session and content-type caches
    one, body = _queries(api, scenario.url)
    assert scenario.count(body) == 1
    scenario.grow(50)
    many, body = _queries(api, scenario.url)
    assert scenario.count(body) == 50
    assert many == one


def test_a_profile_with_100_reviews_costs_what_one_with_a_single_review_costs():
    scenario = ProfileReviews()
    api = scenario.client()
    profile_url = f"/api/profiles/{scenario.handle}/"
    scenario.grow(1)
    api.get(scenario.url)
    one_list, body = _queries(api, scenario.url)
    one_profile, profile = _queries(api, profile_url)
    assert (body["count"], profile["reputation"]["rating_avg"]) == (1, 4.5)
    scenario.grow(100)
    many_list, body = _queries(api, scenario.url)
    many_profile, _ = _queries(api, profile_url)
    assert (body["count"], len(body["results"])) == (100, 100)
    assert (many_list, many_profile) == (one_list, one_profile)
