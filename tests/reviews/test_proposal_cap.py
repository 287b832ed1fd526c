"""The daily proposal cap grows with reputation (PRODUCT.md): with the default tiers
(``PROPOSAL_DAILY_CAP_BY_JSS`` "90:30,75:20") a shown job success score of 92 gives 30 proposals a
day, 80 gives 20, and no score or a low one the base 10; the refusal states the freelancer's own cap."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from marketplace.accounts.models import FreelancerReputation
from marketplace.core.exceptions import RateLimited
from marketplace.jobs.selectors import daily_proposal_cap
from tests.factories import make_client, make_freelancer, make_job, make_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _tiers(settings):
    settings.PROPOSAL_DAILY_CAP = 10
    settings.PROPOSAL_DAILY_CAP_BY_JSS = [(90, 30), (75, 20)]


def freelancer_with(score: int | None, *, ended: int = 5):
    freelancer = make_freelancer()
    FreelancerReputation.objects.create(
        user=freelancer, job_success_score=score, ended_contracts=ended, computed_at=timezone.now()
    )
    return freelancer


@pytest.mark.parametrize(
    ("score", "cap"),
    [(100, 30), (92, 30), (90, 30), (89, 20), (80, 20), (75, 20), (74, 10), (40, 10), (0, 10), (None, 10)],
)
def test_the_cap_follows_the_score(score, cap):
    assert daily_proposal_cap(freelancer_with(score)) == cap


def test_a_freelancer_never_scored_has_the_base_cap():
    assert daily_proposal_cap(make_freelancer()) == 10


def test_the_tiers_are_read_highest_first_whatever_their_order(settings):
    settings.PROPOSAL_DAILY_CAP_BY_JSS = [(75, 20), (90, 30)]
    assert daily_proposal_cap(freelancer_with(92)) == 30


@pytest.mark.parametrize(("score", "cap"), [(80, 20), (None, 10)])
def test_the_service_refuses_the_proposal_after_the_cap_and_says_it(score, cap):
    freelancer = freelancer_with(score)
    client = make_client()
    jobs = [make_job(client=client, title=f"Job number {n}") for n in range(cap + 1)]
    with time_machine.travel(datetime(2031, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        for job in jobs[:cap]:
            make_proposal(job, freelancer=freelancer)
        with pytest.raises(RateLimited) as refused:
            make_proposal(jobs[cap], freelancer=freelancer)
    assert refused.value.code == "daily_proposal_cap"
    assert refused.value.message.startswith(f"You have sent {cap} proposals today, the daily limit.")
