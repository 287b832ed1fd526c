"""Writing a review (``review_submit``): each side of an ended contract with money paid out, once,
within the window; every refusal with its code, in the order the interfaces answer: who (404, 403),
then the input (400), then the contract's state (409)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.organisations.models import Role
from reviews.models import Review, ReviewWindow
from reviews.services import review_submit
from tests.factories import add_member, make_client, make_freelancer, make_organisation, make_user
from tests.reviews.world import (
    CLIENT_REVIEW,
    FREELANCER_REVIEW,
    ended_contract,
    recording,
    review_by_client,
    review_by_freelancer,
)

pytestmark = pytest.mark.django_db

Direction = Review.Direction


def test_the_clients_review_of_the_freelancer_is_kept_hidden_with_every_score():
    contract = ended_contract()
    with recording() as heard:
        review = review_by_client(contract)
    assert (review.direction, review.author, review.reviewee) == (
        Direction.OF_FREELANCER,
        contract.client,
        contract.freelancer,
    )
    assert review.organisation is None
    assert (review.overall, review.quality, review.communication, review.expertise, review.deadlines) == (
        5,
        5,
        4,
        5,
        4,
    )
    assert (review.clarity, review.payment_promptness) == (None, None)
    assert review.would_hire_again is True
    assert review.text == CLIENT_REVIEW["text"]
    assert review.private_note == CLIENT_REVIEW["private_note"]
    assert review.revealed_at is None
    assert not Review.objects.published().exists()
    assert heard == []  # nothing tells the other side that a review waits
    window = ReviewWindow.objects.get(contract=contract)
    assert (window.opens_at, window.closes_at) == (
        contract.ended_at,
        contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS),
    )


def test_the_freelancers_review_of_the_client_asks_its_own_scores():
    contract = ended_contract(end="cancelled")  # cancelled after money was paid: reviewable too
    review = review_by_freelancer(contract, text="  Good brief and quick answers to every question.  ")
    assert (review.direction, review.author, review.reviewee) == (
        Direction.OF_CLIENT,
        contract.freelancer,
        contract.client,
    )
    assert (review.clarity, review.communication, review.payment_promptness) == (4, 5, 4)
    assert (review.quality, review.expertise, review.deadlines, review.would_hire_again) == (None,) * 4
    assert review.text == "Good brief and quick answers to every question."  # stripped
    assert review.private_note == ""


def test_an_organisations_hiring_member_reviews_for_its_side_once():
    organisation = make_organisation(name="Northwind Retail")
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    contract = ended_contract(organisation=organisation)
    review = review_by_client(contract, user=hiring)
    assert (review.author, review.reviewee, review.organisation) == (
        hiring,
        contract.freelancer,
        organisation,
    )
    # The side has reviewed: its owner (the contract's client) may not add a second one.
    with pytest.raises(Conflict) as refused:
        review_by_client(contract)
    assert (refused.value.status, refused.value.code) == (409, "already_reviewed")
    # The freelancer's review of the client names the organisation it hired for.
    theirs = review_by_freelancer(contract)
    assert (theirs.reviewee, theirs.organisation) == (contract.client, organisation)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FINANCE, Role.ADMIN])
def test_a_client_side_member_whose_role_does_not_hire_is_refused_with_403(role):
    organisation = make_organisation()
    member = add_member(organisation, role)
    contract = ended_contract(organisation=organisation)
    with pytest.raises(PermissionDenied) as refused:
        review_by_client(contract, user=member)
    assert (refused.value.status, refused.value.code) == (403, "role_forbids")
    # The owner (positive control) may.
    assert review_by_client(contract).author == contract.client


def test_someone_elses_contract_is_not_found():
    contract = ended_contract()
    for stranger in (make_client(), make_freelancer(), make_user(staff=True), make_user(is_support=True)):
        with pytest.raises(NotFound) as refused:
            review_by_client(contract, user=stranger)
        assert (refused.value.status, refused.value.code) == (404, "not_found")
    assert not Review.objects.exists()


def test_a_suspended_party_is_told_so():
    contract = ended_contract()
    contract.freelancer.suspended_at = timezone.now()
    contract.freelancer.save(update_fields=["suspended_at"])
    with pytest.raises(PermissionDenied) as refused:
        review_by_freelancer(contract)
    assert refused.value.code == "account_suspended"


def test_a_contract_without_money_paid_out_cannot_be_reviewed():
    contract = ended_contract(paid_out=False)
    for submit in (review_by_client, review_by_freelancer):
        with pytest.raises(Conflict) as refused:
            submit(contract)
        assert (refused.value.status, refused.value.code) == (409, "no_released_money")
    assert not Review.objects.exists()


def test_an_active_contract_cannot_be_reviewed_yet():
    contract = ended_contract(end=None)
    with pytest.raises(Conflict) as refused:
        review_by_client(contract)
    assert refused.value.code == "contract_not_ended"
    assert not ReviewWindow.objects.exists()


def test_a_side_reviews_once():
    contract = ended_contract()
    review_by_freelancer(contract)
    with pytest.raises(Conflict) as refused:
        review_by_freelancer(contract, overall=1)
    assert refused.value.code == "already_reviewed"
    assert Review.objects.get().overall == FREELANCER_REVIEW["overall"]


def test_the_window_closes_fourteen_days_after_the_end():
    contract = ended_contract()
    closes_at = contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)
    with time_machine.travel(closes_at, tick=False):
        with pytest.raises(Conflict) as refused:
            review_by_client(contract)
        assert refused.value.code == "review_window_closed"
    with time_machine.travel(closes_at + timedelta(days=30), tick=False):
        with pytest.raises(Conflict) as refused:
            review_by_freelancer(contract)
        assert refused.value.code == "review_window_closed"
    assert not Review.objects.exists()
    # A minute before it closes (positive control): accepted.
    with time_machine.travel(closes_at - timedelta(minutes=1), tick=False):
        assert review_by_client(contract).revealed_at is None


BAD_INPUT = [
    ({"overall": 0}, {"overall"}),
    ({"overall": 6}, {"overall"}),
    ({"overall": "5"}, {"overall"}),
    ({"overall": True}, {"overall"}),
    ({"overall": None}, {"overall"}),
    ({"overall": 4.5}, {"overall"}),
    ({"sub_scores": {"quality": 5, "communication": 4, "expertise": 5}}, {"deadlines"}),
    (
        {"sub_scores": {"quality": 0, "communication": 6, "expertise": 5, "deadlines": 4}},
        {"quality", "communication"},
    ),
    ({"sub_scores": {**CLIENT_REVIEW["sub_scores"], "clarity": 5}}, {"clarity"}),
    ({"sub_scores": None}, {"quality", "communication", "expertise", "deadlines"}),
    ({"would_hire_again": None}, {"would_hire_again"}),
    ({"would_hire_again": "yes"}, {"would_hire_again"}),
    ({"text": "Too short"}, {"text"}),
    ({"text": "   short    "}, {"text"}),
    ({"text": "x" * 5001}, {"text"}),
    ({"text": None}, {"text"}),
    ({"private_note": "x" * 2001}, {"private_note"}),
    ({"overall": 0, "text": "", "would_hire_again": None}, {"overall", "text", "would_hire_again"}),
]


@pytest.mark.parametrize(("changes", "fields"), BAD_INPUT)
def test_bad_stars_scores_or_text_are_refused_naming_each_field(changes, fields):
    contract = ended_contract()
    with pytest.raises(InvalidInput) as refused:
        review_by_client(contract, **changes)
    assert (refused.value.status, refused.value.code) == (400, "invalid_input")
    assert set(refused.value.fields) == fields
    assert not Review.objects.exists()


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"would_hire_again": True}, {"would_hire_again"}),
        ({"sub_scores": {"clarity": 4, "communication": 5}}, {"payment_promptness"}),
        ({"sub_scores": {**FREELANCER_REVIEW["sub_scores"], "quality": 5}}, {"quality"}),
    ],
)
def test_the_freelancers_review_has_its_own_rules(changes, fields):
    contract = ended_contract()
    with pytest.raises(InvalidInput) as refused:
        review_by_freelancer(contract, **changes)
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", fields)


def test_edges_of_the_text_are_accepted():
    contract = ended_contract()
    assert len(review_by_client(contract, text="x" * 5000, private_note="y" * 2000).text) == 5000
    assert review_by_freelancer(contract, text="Ten chars!").text == "Ten chars!"


def test_who_may_not_act_hears_404_or_403_before_the_input_or_the_state_is_judged():
    contract = ended_contract(end=None)  # not ended: the state would say 409
    bad = {**CLIENT_REVIEW, "overall": 0}  # the input would say 400
    with pytest.raises(NotFound):
        review_submit(acting_user=make_client(), contract=contract, **bad)
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    ours = ended_contract(organisation=organisation, end=None)
    with pytest.raises(PermissionDenied):
        review_submit(acting_user=viewer, contract=ours, **bad)
    # A party: the input first (400), then the state (409).
    with pytest.raises(InvalidInput):
        review_submit(acting_user=contract.client, contract=contract, **bad)
    with pytest.raises(Conflict):
        review_submit(acting_user=contract.client, contract=contract, **CLIENT_REVIEW)
