"""``/api/freelancers/{handle}/reviews/``: a freelancer's published reviews, with replies, newest
first, for anyone who may see the profile. A hidden review is not there (positive control: its author
reads it on the contract) and a removed one is gone; the private note never shows."""

import pytest

from marketplace.accounts.models import FreelancerProfile
from reviews.services import review_remove, review_reply
from tests.factories import make_client, make_freelancer, make_organisation, make_user
from tests.reviews.world import (
    CLIENT_REVIEW,
    ended_contract,
    published_pair,
    review_by_client,
)
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db


def url(user) -> str:
    return f"/api/freelancers/{user.freelancer_profile.handle}/reviews/"


def test_anyone_reads_the_published_reviews_newest_first_with_replies():
    freelancer = make_freelancer()
    first, _ = published_pair(ended_contract(freelancer=freelancer))
    review_reply(acting_user=freelancer, review=first, text="Thank you, it was a pleasure.")
    second, _ = published_pair(
        ended_contract(freelancer=freelancer, organisation=make_organisation(name="Acme"))
    )

    response = as_user(None).get(url(freelancer))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert (newest["id"], oldest["id"]) == (second.pk, first.pk)
    assert newest["organisation"]["name"] == "Acme"
    assert oldest == {
        "id": first.pk,
        "direction": "of_freelancer",
        "overall": CLIENT_REVIEW["overall"],
        "sub_scores": CLIENT_REVIEW["sub_scores"],
        "would_hire_again": True,
        "text": CLIENT_REVIEW["text"],
        "author": {"id": first.author_id, "full_name": first.author.full_name},
        "organisation": None,
        "revealed_at": oldest["revealed_at"],
        "reply": "Thank you, it was a pleasure.",
        "replied_at": oldest["replied_at"],
    }
    assert CLIENT_REVIEW["private_note"].encode() not in response.content


def test_a_hidden_review_is_not_listed_until_published():
    contract = ended_contract()
    hidden = review_by_client(contract)
    for reader in (None, contract.freelancer, contract.client, make_user(staff=True)):
        assert as_user(reader).get(url(contract.freelancer)).json()["results"] == []
    # The positive control: it exists, and its author's side reads it on the contract.
    mine = as_user(contract.client).get(f"/api/contracts/{contract.pk}/reviews/").json()["mine"]
    assert mine["id"] == hidden.pk


def test_a_removed_review_is_gone():
    freelancer = make_freelancer()
    kept, _ = published_pair(ended_contract(freelancer=freelancer))
    removed, _ = published_pair(ended_contract(freelancer=freelancer))
    assert {row["id"] for row in as_user(None).get(url(freelancer)).json()["results"]} == {
        kept.pk,
        removed.pk,
    }
    review_remove(acting_user=make_user(staff=True), review=removed, reason="Shares a phone number.")
    assert [row["id"] for row in as_user(None).get(url(freelancer)).json()["results"]] == [kept.pk]


def test_the_profiles_visibility_applies():
    freelancer = make_freelancer()
    published_pair(ended_contract(freelancer=freelancer))
    FreelancerProfile.objects.filter(user=freelancer).update(visibility=FreelancerProfile.Visibility.POOL)
    for outsider in (None, make_client(), make_freelancer()):
        assert_error(as_user(outsider).get(url(freelancer)), 404, "profile_not_found")
    # Those who may see the pool-only profile read its reviews (the positive control).
    for insider in (freelancer, make_user(staff=True)):
        assert as_user(insider).get(url(freelancer)).json()["count"] == 1
    assert_error(as_user(None).get("/api/freelancers/no-such-handle/reviews/"), 404, "profile_not_found")


def test_api_keys_are_refused():
    freelancer = make_freelancer()
    keyed = with_key(as_user(None), make_api_key(make_organisation()))
    assert_error(keyed.get(url(freelancer)), 403, "api_key_not_allowed")
