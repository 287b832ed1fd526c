"""Reputation on the existing endpoints: a freelancer profile's ``reputation`` (the rating and the job
success score with its components; null until first computed) and a job's ``client_scorecard`` (the
organisation's for its jobs, else the client's own; null until first computed)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.accounts.models import ClientScorecard, FreelancerReputation
from reviews.services import reputation_recompute_for_contract
from tests.factories import make_client, make_freelancer, make_job, make_organisation
from tests.reviews.world import CLIENT_REVIEW, FREELANCER_REVIEW, ended_contract, published_pair
from tests.support.api import as_user, make_api_key, with_key

pytestmark = pytest.mark.django_db


def reputation_of(user, **fields) -> FreelancerReputation:
    values = {
        "rating_avg": Decimal("4.67"),
        "rating_count": 3,
        "job_success_score": 86,
        "period_months": 12,
        "ended_contracts": 4,
        "good_contracts": 3,
        "bad_contracts": 0,
        "neutral_contracts": 1,
        "good_weight": 10.5,
        "total_weight": 12.25,
        **fields,
    }
    return FreelancerReputation.objects.create(user=user, computed_at=timezone.now(), **values)


def test_a_profile_shows_the_reputation_with_its_components():
    freelancer = make_freelancer()
    handle = freelancer.freelancer_profile.handle
    computed = reputation_of(freelancer)
    expected = {
        "rating_avg": 4.67,
        "rating_count": 3,
        "job_success_score": 86,
        "period_months": 12,
        "ended_contracts": 4,
        "good_contracts": 3,
        "bad_contracts": 0,
        "neutral_contracts": 1,
        "good_weight": 10.5,
        "total_weight": 12.25,
        "computed_at": computed.computed_at.isoformat().replace("+00:00", "Z"),
    }
    assert as_user(None).get(f"/api/profiles/{handle}/").json()["reputation"] == expected
    (row,) = as_user(None).get("/api/profiles/").json()["results"]
    assert row["reputation"] == expected
    assert as_user(freelancer).get("/api/me/freelancer-profile/").json()["reputation"] == expected


def test_a_score_not_shown_yet_is_null_beside_its_components():
    freelancer = make_freelancer()
    reputation_of(freelancer, job_success_score=None, ended_contracts=2, rating_avg=None, rating_count=0)
    reputation = (
        as_user(None).get(f"/api/profiles/{freelancer.freelancer_profile.handle}/").json()["reputation"]
    )
    assert (reputation["job_success_score"], reputation["ended_contracts"], reputation["rating_avg"]) == (
        None,
        2,
        None,
    )


def test_a_profile_never_computed_has_no_reputation_yet():
    freelancer = make_freelancer()
    assert (
        as_user(None).get(f"/api/profiles/{freelancer.freelancer_profile.handle}/").json()["reputation"]
        is None
    )


def scorecard(**fields) -> ClientScorecard:
    values = {
        "jobs_posted": 4,
        "jobs_hired": 3,
        "avg_days_to_approve": Decimal("1.5"),
        "avg_days_to_pay": Decimal("0.8"),
        "avg_rating_given": Decimal("4.25"),
        "ratings_given": 4,
        "rating_avg": Decimal("4.80"),
        "rating_count": 5,
        "disputes_opened": 1,
        **fields,
    }
    return ClientScorecard.objects.create(computed_at=timezone.now(), **values)


def test_a_jobs_detail_shows_the_organisations_scorecard_for_its_jobs_and_the_persons_for_theirs():
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    scorecard(organisation=organisation)
    scorecard(user=owner, jobs_posted=1, jobs_hired=0, disputes_opened=0)
    for_organisation = make_job(client=owner, organisation=organisation)
    alone = make_job(client=owner)

    card = as_user(make_freelancer()).get(f"/api/jobs/{for_organisation.pk}/").json()["client_scorecard"]
    assert {key: card[key] for key in card if key != "computed_at"} == {
        "jobs_posted": 4,
        "jobs_hired": 3,
        "hire_rate": 75,
        "avg_days_to_approve": 1.5,
        "avg_days_to_pay": 0.8,
        "avg_rating_given": 4.25,
        "ratings_given": 4,
        "rating_avg": 4.8,
        "rating_count": 5,
        "disputes_opened": 1,
    }
    own = as_user(None).get(f"/api/jobs/{alone.pk}/").json()["client_scorecard"]
    assert (own["jobs_posted"], own["hire_rate"], own["disputes_opened"]) == (1, 0, 0)
    # The organisation's API key reads it too, on its own job.
    keyed = with_key(as_user(None), make_api_key(organisation))
    assert keyed.get(f"/api/jobs/{for_organisation.pk}/").json()["client_scorecard"]["jobs_posted"] == 4


def test_a_client_never_computed_has_no_scorecard_yet():
    job = make_job(client=make_client())
    assert as_user(None).get(f"/api/jobs/{job.pk}/").json()["client_scorecard"] is None


def test_the_scores_the_reviews_app_computes_are_the_ones_shown():
    organisation = make_organisation()
    contract = ended_contract(organisation=organisation)
    published_pair(contract)
    reputation_recompute_for_contract(contract)

    handle = contract.freelancer.freelancer_profile.handle
    reputation = as_user(None).get(f"/api/profiles/{handle}/").json()["reputation"]
    assert (reputation["rating_avg"], reputation["rating_count"]) == (CLIENT_REVIEW["overall"], 1)
    assert (reputation["ended_contracts"], reputation["good_contracts"]) == (1, 1)
    assert reputation["job_success_score"] is None  # fewer than JSS_MIN_ENDED_CONTRACTS ended
    card = as_user(None).get(f"/api/jobs/{contract.job_id}/").json()["client_scorecard"]
    assert (card["jobs_posted"], card["jobs_hired"], card["hire_rate"]) == (1, 1, 100)
    assert (card["rating_avg"], card["rating_count"]) == (FREELANCER_REVIEW["overall"], 1)
    assert (card["avg_rating_given"], card["ratings_given"]) == (CLIENT_REVIEW["overall"], 1)
