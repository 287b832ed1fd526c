"""``/api/reviews/waiting/``: the contracts a side may still review, soonest to close first. What the
other side did changes nothing in it (double-blind), and the side's own review takes its row away."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from marketplace.organisations.models import Role
from tests.factories import add_member, make_freelancer, make_organisation
from tests.reviews.world import ended_contract, review_by_client, review_by_freelancer
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

URL = "/api/reviews/waiting/"


def rows(user) -> list[dict]:
    response = as_user(user).get(URL)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_freelancers_waiting_reviews_soonest_to_close_first():
    freelancer = make_freelancer()
    with time_machine.travel(timezone.now() - timedelta(days=5)):
        older = ended_contract(freelancer=freelancer, title="Logo refresh")
    newer = ended_contract(freelancer=freelancer, title="Booking page")
    ended_contract(freelancer=freelancer, end=None)  # still active
    ended_contract(freelancer=freelancer, paid_out=False)  # nothing was paid out
    with time_machine.travel(timezone.now() - timedelta(days=30)):
        ended_contract(freelancer=freelancer)  # its window has closed

    waiting = rows(freelancer)
    assert [row["contract"] for row in waiting] == [older.pk, newer.pk]
    first = waiting[0]
    assert first == {
        "contract": older.pk,
        "title": "Logo refresh",
        "direction": "of_client",
        "reviewee": {"id": older.client_id, "full_name": older.client.full_name},
        "organisation": None,
        "closes_at": first["closes_at"],
    }
    assert first["closes_at"] < waiting[1]["closes_at"]


def test_the_sides_own_review_takes_the_row_away_and_the_other_sides_changes_nothing():
    contract = ended_contract()
    assert [row["contract"] for row in rows(contract.client)] == [contract.pk]
    review_by_freelancer(contract)
    assert rows(contract.freelancer) == []
    # The client's row is as it was: nothing says the freelancer has reviewed.
    (row,) = rows(contract.client)
    assert (row["contract"], row["direction"]) == (contract.pk, "of_freelancer")
    assert row["reviewee"]["id"] == contract.freelancer_id
    review_by_client(contract)
    assert rows(contract.client) == []


def test_an_organisations_contract_waits_for_its_hiring_members_only():
    organisation = make_organisation(name="Northwind Retail")
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    viewer = add_member(organisation, Role.VIEWER)
    contract = ended_contract(organisation=organisation)
    (row,) = rows(hiring)
    assert row["organisation"] == {"slug": organisation.slug, "name": "Northwind Retail"}
    assert row["contract"] == contract.pk
    assert rows(viewer) == []
    (freelancers,) = rows(contract.freelancer)
    assert freelancers["organisation"]["slug"] == organisation.slug


def test_nobody_logged_in_and_api_keys_are_refused():
    organisation = make_organisation()
    assert_error(as_user(None).get(URL), 403, "not_authenticated")
    assert_error(with_key(as_user(None), make_api_key(organisation)).get(URL), 403, "api_key_not_allowed")
