"""Double-blind at the selectors every page and API reads through, under each ordering: the client
first, the freelancer first, only one before the deadline (the task reveals it), none. Until the reveal
the other side sees exactly what it saw before anything was submitted — its review card, its waiting
list, the published lists, a direct look-up of the review — and, as the positive control, after the
reveal it sees the review everywhere."""

from datetime import timedelta

import pytest
import time_machine

from marketplace.core.exceptions import NotFound
from marketplace.organisations.models import Role
from reviews.models import Review, ReviewWindow
from reviews.selectors import (
    contract_reviews_for,
    published_reviews_of_client,
    published_reviews_of_freelancer,
    review_eligibility,
    review_for_viewer,
    reviews_waiting_for,
)
from reviews.services import review_windows_due
from tests.factories import add_member, make_organisation
from tests.reviews.world import ended_contract, recording, review_by_client, review_by_freelancer

pytestmark = pytest.mark.django_db


def seen_by(user, contract) -> dict:
    """Everything about the contract's reviews that ``user`` can read through the selectors."""
    found = contract_reviews_for(user, contract)
    eligibility = found.eligibility
    return {
        "mine": found.mine and found.mine.pk,
        "theirs": found.theirs and found.theirs.pk,
        "can_review": eligibility.can_review,
        "code": eligibility.code,
        "message": eligibility.message,
        "closes_at": eligibility.closes_at,
        "waiting": [(w.contract.pk, w.direction, w.closes_at) for w in reviews_waiting_for(user)],
        "of_freelancer": list(
            published_reviews_of_freelancer(contract.freelancer).values_list("pk", flat=True)
        ),
        "of_client": list(published_reviews_of_client(user=contract.client).values_list("pk", flat=True)),
        "published": list(Review.objects.published().values_list("pk", flat=True)),
    }


def readable(user, review: Review) -> bool:
    try:
        review_for_viewer(pk=review.pk, viewer=user)
    except NotFound:
        return False
    return True


def _hidden_from_the_other_side(contract, review, other, other_before: dict) -> None:
    assert seen_by(other, contract) == other_before
    assert not readable(other, review)


def _published_for_both(contract, by_client: Review, by_freelancer: Review) -> None:
    client_sees, freelancer_sees = seen_by(contract.client, contract), seen_by(contract.freelancer, contract)
    assert (client_sees["mine"], client_sees["theirs"]) == (by_client.pk, by_freelancer.pk)
    assert (freelancer_sees["mine"], freelancer_sees["theirs"]) == (by_freelancer.pk, by_client.pk)
    assert client_sees["of_freelancer"] == [by_client.pk]
    assert client_sees["of_client"] == [by_freelancer.pk]
    assert client_sees["waiting"] == freelancer_sees["waiting"] == []
    for user in (contract.client, contract.freelancer):
        assert readable(user, by_client)
        assert readable(user, by_freelancer)


@pytest.mark.parametrize("first", ["client", "freelancer"])
def test_the_first_review_stays_hidden_until_the_second_publishes_both(first):
    contract = ended_contract()
    writers = {
        "client": (contract.client, review_by_client),
        "freelancer": (contract.freelancer, review_by_freelancer),
    }
    second = "freelancer" if first == "client" else "client"
    (author, write_first), (other, write_second) = writers[first], writers[second]
    other_before = seen_by(other, contract)
    assert other_before["can_review"]
    assert [row[0] for row in other_before["waiting"]] == [contract.pk]

    with recording() as heard:
        early = write_first(contract)
    assert heard == []
    assert early.revealed_at is None
    _hidden_from_the_other_side(contract, early, other, other_before)
    # Its author's side sees it, hidden, and is no longer asked to review.
    author_sees = seen_by(author, contract)
    assert (author_sees["mine"], author_sees["theirs"], author_sees["code"]) == (
        early.pk,
        None,
        "already_reviewed",
    )
    assert author_sees["waiting"] == []
    assert author_sees["published"] == []
    assert readable(author, early)

    with recording() as heard:
        late = write_second(contract)
    early.refresh_from_db()
    assert early.revealed_at == late.revealed_at is not None
    assert [
        (name, kwargs["contract"].pk, sorted(r.pk for r in kwargs["reviews"])) for name, kwargs in heard
    ] == [("reviews_revealed", contract.pk, sorted([early.pk, late.pk]))]
    by_client, by_freelancer = (early, late) if first == "client" else (late, early)
    _published_for_both(contract, by_client, by_freelancer)
    assert ReviewWindow.objects.get(contract=contract).revealed_at == late.revealed_at


def test_one_review_before_the_deadline_is_revealed_by_the_task_when_the_window_closes():
    contract = ended_contract()
    freelancer_before = seen_by(contract.freelancer, contract)
    lone = review_by_client(contract)
    closes_at = ReviewWindow.objects.get(contract=contract).closes_at

    # The day before it closes the task reveals nothing: still hidden from the freelancer.
    with recording() as heard:
        assert review_windows_due(now=closes_at - timedelta(days=1)) == 0
    assert [name for name, _ in heard if name == "reviews_revealed"] == []
    _hidden_from_the_other_side(contract, lone, contract.freelancer, freelancer_before)

    with recording() as heard:
        assert review_windows_due(now=closes_at) == 1
    assert [(name, [r.pk for r in kwargs["reviews"]]) for name, kwargs in heard] == [
        ("reviews_revealed", [lone.pk])
    ]
    lone.refresh_from_db()
    assert lone.is_published
    with time_machine.travel(closes_at, tick=False):
        freelancer_sees = seen_by(contract.freelancer, contract)
        assert (freelancer_sees["mine"], freelancer_sees["theirs"]) == (None, lone.pk)
        assert (freelancer_sees["can_review"], freelancer_sees["code"]) == (False, "review_window_closed")
        assert freelancer_sees["of_freelancer"] == [lone.pk]
        assert freelancer_sees["waiting"] == []
    assert readable(contract.freelancer, lone)


def test_no_review_at_all_closes_the_window_with_nothing_to_reveal(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the contract's end opens its window
        contract = ended_contract()
    before = {user.pk: seen_by(user, contract) for user in (contract.client, contract.freelancer)}
    closes_at = contract.ended_at + timedelta(days=14)
    with recording() as heard:
        assert review_windows_due(now=closes_at) == 1
    assert heard == []
    assert ReviewWindow.objects.get(contract=contract).revealed_at is not None
    for user in (contract.client, contract.freelancer):
        after = seen_by(user, contract)
        assert (after["mine"], after["theirs"], after["published"]) == (None, None, [])
        assert after == before[user.pk]  # closing an empty window changes nothing anyone sees
    with time_machine.travel(closes_at, tick=False):
        assert review_eligibility(contract.client, contract).code == "review_window_closed"


def test_the_reviews_of_an_organisation_hire_are_hidden_from_its_members_who_do_not_hire():
    organisation = make_organisation()
    hiring, viewer = add_member(organisation, Role.HIRING_MANAGER), add_member(organisation, Role.VIEWER)
    contract = ended_contract(organisation=organisation)
    mine = review_by_client(contract, user=hiring)
    # The whole hiring side sees its hidden review; a viewer (no side) neither sees nor learns of it.
    for member in (hiring, contract.client):
        assert contract_reviews_for(member, contract).mine == mine
        assert readable(member, mine)
    viewer_sees = contract_reviews_for(viewer, contract)
    assert (viewer_sees.mine, viewer_sees.theirs, viewer_sees.eligibility.code) == (
        None,
        None,
        "role_forbids",
    )
    assert not readable(viewer, mine)
    assert reviews_waiting_for(viewer) == []
    # Once published, the review of the organisation's client counts for the organisation.
    theirs = review_by_freelancer(contract)
    assert list(published_reviews_of_client(organisation=organisation)) == [theirs]
    assert list(published_reviews_of_client(user=contract.client)) == []  # not the person's own hiring
    assert readable(viewer, mine)  # published: public
