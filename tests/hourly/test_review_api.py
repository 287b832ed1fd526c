"""A week's review over the REST API: POST /api/timesheets/<id>/approve/ (who may, in the one order:
404, 403, then 409) and the disputes API opening a dispute on a week's entries, every refusal with
its code in the one error shape."""

import pytest
from rest_framework.test import APIClient

from marketplace.hourly.models import Timesheet
from marketplace.organisations.models import Role
from tests.factories import add_member, make_organisation, make_user
from tests.hourly.support import hourly_contract, in_review_week
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return make_organisation(name="Acme Robotics")


@pytest.fixture
def week(organisation):
    owner = organisation.memberships.get().user
    return in_review_week(hourly_contract(client=owner, organisation=organisation), minutes=(120, 90, 45))


def approve(user, week):
    return as_user(user).post(f"/api/timesheets/{week.pk}/approve/")


def test_the_client_side_approves_a_week(week, organisation):
    assert_error(approve(week.contract.freelancer, week), 403, "not_client_side")
    assert_error(approve(add_member(organisation, Role.VIEWER), week), 403, "role_forbids")
    assert_error(approve(make_user(), week), 404, "timesheet_not_found")
    assert_error(
        with_key(APIClient(), make_api_key(organisation)).post(f"/api/timesheets/{week.pk}/approve/"),
        403,
        "api_key_read_only",
    )
    assert_error(
        as_user(week.contract.client).post("/api/timesheets/999999/approve/"), 404, "timesheet_not_found"
    )

    answer = approve(add_member(organisation, Role.FINANCE), week)

    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["status"], body["amount_minor"], body["currency"]) == ("approved", 25_500, "USD")
    assert body["approved_by"] is not None
    assert_error(approve(week.contract.client, week), 409, "illegal_transition")


def _open(user, week, entries, **extra):
    return as_user(user).post(
        "/api/disputes/",
        {
            "timesheet": week.pk,
            "reason": "quality",
            "description": "Two of these days were not worked as logged.",
            "entries": entries,
            **extra,
        },
        format="json",
    )


def test_a_week_is_disputed_in_part_over_the_api(week):
    first, second, _third = week.entries.order_by("started_at")
    opened = _open(
        week.contract.client,
        week,
        [
            {"entry": first.pk, "amount_minor": 6_000, "minutes": 60},
            {"entry": second.pk, "amount_minor": 4_500},
        ],
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert (body["kind"], body["amount_minor"], body["milestone"]) == ("timesheet", 10_500, None)
    assert body["timesheet"] == {
        "id": week.pk,
        "week_start": week.week_start.isoformat(),
        "status": "disputed",
    }
    assert [(e["entry"], e["minutes"], e["amount_minor"], e["entry_minutes"]) for e in body["entries"]] == [
        (first.pk, 60, 6_000, 120),
        (second.pk, 90, 4_500, 90),
    ]
    detail = as_user(week.contract.freelancer).get(f"/api/disputes/{body['id']}/").json()
    assert [e["memo"] for e in detail["entries"]] == [first.memo, second.memo]
    week.refresh_from_db()
    assert week.status == Timesheet.Status.DISPUTED
    # A disputed week is not approved.
    assert_error(approve(week.contract.client, week), 409, "illegal_transition")


def test_bad_entries_are_refused_with_their_codes(week, organisation):
    first = week.entries.order_by("started_at").first()
    other = in_review_week(minutes=(30,)).entries.get()
    client = week.contract.client
    assert_error(
        _open(client, week, [{"entry": first.pk, "amount_minor": 12_001}]), 400, "amount_exceeds_entry"
    )
    assert_error(_open(client, week, [{"entry": other.pk, "amount_minor": 100}]), 400, "entry_not_in_week")
    assert_error(
        _open(
            client, week, [{"entry": first.pk, "amount_minor": 100}, {"entry": first.pk, "amount_minor": 5}]
        ),
        400,
        "entry_duplicate",
    )
    assert_error(_open(client, week, [{"entry": first.pk, "amount_minor": 0}]), 400, "amount_not_positive")
    assert_error(_open(client, week, []), 400, "entries_required")
    assert_error(_open(client, week, [{"entry": first.pk, "amount_minor": 10}], milestone=1), 400, "invalid")
    assert_error(
        _open(make_user(), week, [{"entry": first.pk, "amount_minor": 10}]), 404, "timesheet_not_found"
    )
    assert_error(
        _open(add_member(organisation, Role.VIEWER), week, [{"entry": first.pk, "amount_minor": 10}]),
        403,
        "role_forbids",
    )
    week.refresh_from_db()
    assert week.status == Timesheet.Status.IN_REVIEW
