"""``/api/contracts/{id}/reviews/``: a side reads its contract's reviews and writes its own, through
the real services. Double-blind: the other side's review shows only once published, and nothing in
the answer says whether it was written (positive controls: the author reads their hidden review, and
both read both once published). Every refusal answers its code in the one error shape, in the
interfaces' order: who (404, 403) before the body (400) before the contract's state (409)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from marketplace.organisations.models import Role
from reviews.models import Review
from tests.factories import add_member, make_client, make_freelancer, make_organisation, make_user
from tests.reviews.world import CLIENT_REVIEW, FREELANCER_REVIEW, ended_contract, review_by_freelancer
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db


def url(contract) -> str:
    return f"/api/contracts/{contract.pk}/reviews/"


def test_a_side_may_review_an_ended_contract_with_money_paid_out():
    contract = ended_contract()
    body = as_user(contract.freelancer).get(url(contract)).json()
    assert body == {
        "mine": None,
        "theirs": None,
        "can_review": True,
        "code": None,
        "message": body["message"],
        "direction": "of_client",
        "closes_at": body["closes_at"],
    }
    closes_at = contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)
    assert body["closes_at"] == closes_at.isoformat().replace("+00:00", "Z")
    assert as_user(contract.client).get(url(contract)).json()["direction"] == "of_freelancer"


def test_the_author_reads_their_hidden_review_and_the_other_side_learns_nothing():
    contract = ended_contract()
    before = as_user(contract.freelancer).get(url(contract)).json()
    written = as_user(contract.client).post(url(contract), CLIENT_REVIEW, format="json")
    assert written.status_code == 201, written.content
    mine = written.json()
    assert mine["status"] == "hidden"
    assert mine["revealed_at"] is None
    assert mine["private_note"] == CLIENT_REVIEW["private_note"]
    assert mine["sub_scores"] == CLIENT_REVIEW["sub_scores"]
    assert (mine["overall"], mine["would_hire_again"], mine["direction"]) == (5, True, "of_freelancer")

    # The author's side reads it back, hidden (the positive control)…
    again = as_user(contract.client).get(url(contract)).json()
    assert again["mine"]["id"] == mine["id"]
    assert (again["can_review"], again["code"]) == (False, "already_reviewed")
    # …and the other side's answer is exactly what it was before anything was written.
    after = as_user(contract.freelancer).get(url(contract))
    assert after.json() == before
    assert CLIENT_REVIEW["text"].encode() not in after.content


def test_the_second_review_publishes_both_and_each_side_reads_the_other_without_its_note():
    contract = ended_contract()
    client_review = as_user(contract.client).post(url(contract), CLIENT_REVIEW, format="json").json()
    written = as_user(contract.freelancer).post(url(contract), FREELANCER_REVIEW, format="json")
    assert written.status_code == 201, written.content
    assert written.json()["status"] == "published"

    freelancers = as_user(contract.freelancer).get(url(contract))
    theirs = freelancers.json()["theirs"]
    assert theirs["id"] == client_review["id"]
    assert theirs["text"] == CLIENT_REVIEW["text"]
    assert theirs["revealed_at"]
    assert "private_note" not in theirs
    assert CLIENT_REVIEW["private_note"].encode() not in freelancers.content
    clients = as_user(contract.client).get(url(contract)).json()
    assert clients["mine"]["status"] == "published"
    assert clients["mine"]["private_note"] == CLIENT_REVIEW["private_note"]
    assert clients["theirs"]["sub_scores"] == FREELANCER_REVIEW["sub_scores"]
    assert clients["theirs"]["would_hire_again"] is None


def test_an_organisations_hiring_member_reviews_for_the_side():
    organisation = make_organisation(name="Northwind Retail")
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    contract = ended_contract(organisation=organisation)
    written = as_user(hiring).post(url(contract), CLIENT_REVIEW, format="json")
    assert written.status_code == 201, written.content
    body = written.json()
    assert body["author"]["id"] == hiring.pk
    assert body["organisation"] == {"slug": organisation.slug, "name": "Northwind Retail"}
    # The owner is on the same side: they read the side's hidden review, and may not add one.
    owner_view = as_user(contract.client).get(url(contract)).json()
    assert owner_view["mine"]["id"] == body["id"]
    assert_error(
        as_user(contract.client).post(url(contract), CLIENT_REVIEW, format="json"), 409, "already_reviewed"
    )


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FINANCE, Role.ADMIN])
def test_a_member_whose_role_does_not_hire_is_refused_before_the_body_is_read(role):
    organisation = make_organisation()
    member = add_member(organisation, role)
    contract = ended_contract(organisation=organisation)
    api = as_user(member)
    assert_error(api.get(url(contract)), 403, "role_forbids")
    assert_error(api.post(url(contract), {}, format="json"), 403, "role_forbids")
    assert not Review.objects.exists()


def test_someone_elses_or_no_contract_is_not_found():
    contract = ended_contract()
    for stranger in (make_client(), make_freelancer(), make_user(staff=True), make_user(is_support=True)):
        api = as_user(stranger)
        assert_error(api.get(url(contract)), 404, "not_found")
        assert_error(api.post(url(contract), CLIENT_REVIEW, format="json"), 404, "not_found")
    assert_error(as_user(contract.client).get("/api/contracts/999999/reviews/"), 404, "not_found")
    assert not Review.objects.exists()


def test_nobody_logged_in_and_api_keys_are_refused():
    organisation = make_organisation()
    contract = ended_contract(organisation=organisation)
    assert_error(as_user(None).get(url(contract)), 403, "not_authenticated")
    keyed = with_key(as_user(None), make_api_key(organisation))
    assert_error(keyed.get(url(contract)), 403, "api_key_not_allowed")
    assert_error(keyed.post(url(contract), CLIENT_REVIEW, format="json"), 403, "api_key_not_allowed")


def test_a_review_that_breaks_the_rules_names_every_field_at_fault():
    contract = ended_contract()
    bad = {
        "overall": 6,
        "text": "  short  ",
        "sub_scores": {"quality": 0, "communication": 4, "expertise": 5, "clarity": 3},
        "private_note": "x" * 2001,
    }
    error = assert_error(
        as_user(contract.client).post(url(contract), bad, format="json"), 400, "invalid_input"
    )
    assert set(error["fields"]) == {
        "overall",
        "text",
        "quality",
        "deadlines",
        "clarity",
        "would_hire_again",
        "private_note",
    }
    # The freelancer's review of the client asks no "would hire again".
    error = assert_error(
        as_user(contract.freelancer).post(
            url(contract), {**FREELANCER_REVIEW, "would_hire_again": True}, format="json"
        ),
        400,
        "invalid_input",
    )
    assert set(error["fields"]) == {"would_hire_again"}
    assert not Review.objects.exists()


def test_a_missing_field_or_a_wrong_type_is_invalid():
    contract = ended_contract()
    api = as_user(contract.client)
    error = assert_error(api.post(url(contract), {}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"overall", "sub_scores", "text"}
    error = assert_error(
        api.post(url(contract), {**CLIENT_REVIEW, "overall": "five"}, format="json"), 400, "invalid"
    )
    assert set(error["fields"]) == {"overall"}


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda: ended_contract(end=None), "contract_not_ended"),
        (lambda: ended_contract(paid_out=False), "no_released_money"),
    ],
)
def test_a_contract_that_cannot_be_reviewed_says_why(build, code):
    contract = build()
    api = as_user(contract.freelancer)
    body = api.get(url(contract)).json()
    assert (body["can_review"], body["code"]) == (False, code)
    assert_error(api.post(url(contract), FREELANCER_REVIEW, format="json"), 409, code)
    assert not Review.objects.exists()


def test_the_window_closes_after_its_days():
    contract = ended_contract()
    closes = contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)
    with time_machine.travel(closes - timedelta(minutes=1), tick=False):
        assert as_user(contract.freelancer).get(url(contract)).json()["can_review"] is True
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        api = as_user(contract.freelancer)
        assert api.get(url(contract)).json()["code"] == "review_window_closed"
        assert_error(api.post(url(contract), FREELANCER_REVIEW, format="json"), 409, "review_window_closed")


def test_a_side_reviews_once():
    contract = ended_contract()
    review_by_freelancer(contract)
    api = as_user(contract.freelancer)
    assert_error(
        api.post(url(contract), {**FREELANCER_REVIEW, "overall": 1}, format="json"), 409, "already_reviewed"
    )
    assert Review.objects.get().overall == FREELANCER_REVIEW["overall"]
