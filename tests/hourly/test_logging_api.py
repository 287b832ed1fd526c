"""The hourly API for logging time: entries, the timer and weeks; who may see and who may write (with
positive controls), its refusals as 4xx with codes, and its reads at a fixed number of queries
whatever the number of entries and weeks."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.hourly.models import TimeEntry, Timesheet
from marketplace.organisations.models import Role
from messaging.models import UserEvent
from tests.factories import add_member, make_client, make_contract, make_freelancer, make_organisation
from tests.hourly.logging_support import close_week, hourly_contract, utc
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

NOW = utc(2026, 12, 2, 15, 0)  # a Wednesday
THIS_WEEK = date(2026, 11, 30)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _entries_url(contract):
    return f"/api/contracts/{contract.pk}/time-entries/"


def _log(contract, user=None, **body):
    body = {"started_at": "2026-12-01T09:00:00Z", "minutes": 90, "memo": "Booking calendar", **body}
    body = {key: value for key, value in body.items() if value is not None}
    return as_user(user or contract.freelancer).post(_entries_url(contract), body, format="json")


def test_the_freelancer_logs_and_edits_and_deletes(clock):
    contract = hourly_contract(timezone="America/New_York")
    made = _log(contract)
    assert made.status_code == 201, made.content
    entry = made.json()
    assert (entry["week_start"], entry["minutes"], entry["editable"]) == ("2026-11-30", 90, True)
    assert entry["ended_at"].startswith("2026-12-01T10:30")
    # On the freelancer's own clock: 1 December 20:30 in New York is 2 December 01:30 UTC.
    local = _log(contract, started_at=None, date="2026-12-01", start_time="20:30", minutes=30)
    body = {k: v for k, v in local.json().items() if k in ("started_at", "minutes")}
    assert body == {"started_at": "2026-12-02T01:30:00Z", "minutes": 30}, local.content

    url = f"{_entries_url(contract)}{entry['id']}/"
    api = as_user(contract.freelancer)
    changed = api.patch(url, {"minutes": 120, "memo": "Calendar and reminders"}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["minutes"], changed.json()["memo"]) == (120, "Calendar and reminders")
    assert api.delete(url).status_code == 204
    assert_error(api.get(url), 404, "entry_not_found")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"minutes": 0}, 400, "bad_duration"),
        ({"minutes": -15}, 400, "bad_duration"),
        ({"minutes": 1441}, 400, "bad_duration"),
        ({"minutes": "ninety"}, 400, "invalid"),
        ({"started_at": "2026-12-02T14:30:00Z", "minutes": 60}, 400, "future_time"),
        ({"started_at": "2026-12-03T09:00:00Z"}, 400, "future_time"),
        ({"memo": "x" * 501}, 400, "memo_too_long"),
        ({"started_at": None}, 400, "start_required"),
        ({"started_at": "2026-11-29T23:30:00Z", "minutes": 60}, 400, "crosses_week"),
        ({"minutes": 40 * 60 + 1}, 400, "bad_duration"),
    ],
)
def test_bad_input_answers_400_with_its_code(clock, body, status, code):
    contract = hourly_contract()
    body = {
        k: v
        for k, v in {"started_at": "2026-12-01T09:00:00Z", "minutes": 90, "memo": "Work", **body}.items()
        if v is not None
    }
    response = as_user(contract.freelancer).post(_entries_url(contract), body, format="json")
    assert_error(response, status, code)
    assert not TimeEntry.objects.exists()


def test_the_cap_refusal_says_what_is_left(clock):
    contract = hourly_contract(cap=2)
    assert _log(contract, minutes=100).status_code == 201
    refused = assert_error(
        _log(contract, started_at="2026-12-02T09:00:00Z", minutes=21), 409, "weekly_cap_reached"
    )
    assert "20 min left" in refused["message"]
    assert refused["fields"]["minutes_left"][0]["message"] == "20"
    assert _log(contract, started_at="2026-12-02T09:00:00Z", minutes=20).status_code == 201


def test_closed_week_and_paused_contract_answer_409(clock):
    contract = hourly_contract()
    entry = _log(contract, started_at="2026-11-25T09:00:00Z").json()
    close_week(contract, date(2026, 11, 23), Timesheet.Status.CHARGING)
    assert_error(_log(contract, started_at="2026-11-26T09:00:00Z"), 409, "week_closed")
    url = f"{_entries_url(contract)}{entry['id']}/"
    assert_error(as_user(contract.freelancer).patch(url, {"minutes": 30}, format="json"), 409, "week_closed")
    assert_error(as_user(contract.freelancer).delete(url), 409, "week_closed")
    assert as_user(contract.freelancer).get(url).json()["editable"] is False
    close_week(contract, date(2026, 11, 16), Timesheet.Status.PAYMENT_FAILED)
    assert_error(_log(contract), 409, "contract_paused")
    assert_error(
        as_user(contract.freelancer).post(f"/api/contracts/{contract.pk}/timer/"), 409, "contract_paused"
    )


def test_a_fixed_price_contract_has_no_time(clock):
    contract = make_contract(milestones=[10_000])
    assert_error(_log(contract), 409, "not_hourly")


def test_who_may_write(clock):
    organisation = make_organisation(name="Studio Ltd")
    owner = organisation.memberships.get().user
    contract = hourly_contract(organisation=organisation, client=owner)
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    stranger, other_client = make_freelancer(), make_client()
    for user in (owner, hiring):
        assert_error(_log(contract, user=user), 403, "not_the_freelancer")
        assert_error(as_user(user).post(f"/api/contracts/{contract.pk}/timer/"), 403, "not_the_freelancer")
    for user in (stranger, other_client):
        assert_error(_log(contract, user=user), 404, "contract_not_found")
    key = make_api_key(organisation)
    assert_error(
        with_key(as_user(None), key).post(_entries_url(contract), {}, format="json"), 403, "api_key_read_only"
    )
    # Positive control: the freelancer writes; nothing of the refused ones was made.
    assert _log(contract).status_code == 201
    assert TimeEntry.objects.count() == 1


def test_who_may_see(clock):
    organisation = make_organisation(name="Studio Ltd")
    owner = organisation.memberships.get().user
    contract = hourly_contract(organisation=organisation, client=owner)
    viewer = add_member(organisation, Role.VIEWER)
    outsider_org = make_organisation(name="Other Ltd")
    outsider = outsider_org.memberships.get().user
    entry = _log(contract).json()
    sheet = Timesheet.objects.get(contract=contract)
    urls = [
        _entries_url(contract),
        f"{_entries_url(contract)}{entry['id']}/",
        f"/api/contracts/{contract.pk}/timer/",
        f"/api/contracts/{contract.pk}/timesheets/",
        f"/api/timesheets/{sheet.pk}/",
    ]
    for user in (contract.freelancer, owner, viewer):  # the positive controls
        for url in urls:
            assert as_user(user).get(url).status_code == 200, (user, url)
    for url in urls:
        assert with_key(as_user(None), make_api_key(organisation)).get(url).status_code == 200, url
        assert as_user(outsider).get(url).status_code == 404, url
        assert as_user(make_freelancer()).get(url).status_code == 404, url
        assert with_key(as_user(None), make_api_key(outsider_org)).get(url).status_code == 404, url
        assert as_user(None).get(url).status_code == 403, url
    detail = as_user(viewer).get(f"/api/timesheets/{sheet.pk}/").json()
    assert detail["logged_minutes"] == 90
    assert detail["status"] == "open"
    assert [d["minutes"] for d in detail["days"]] == [0, 90, 0, 0, 0, 0, 0]
    assert [e["id"] for e in detail["entries"]] == [entry["id"]]


def test_the_timer_over_the_api(clock):
    contract = hourly_contract()
    api = as_user(contract.freelancer)
    url = f"/api/contracts/{contract.pk}/timer/"
    assert api.get(url).json() == {"running": False, "started_at": None, "memo": ""}
    started = api.post(url, {"memo": "Reminders"}, format="json")
    assert started.status_code == 201
    assert started.json()["running"] is True
    assert_error(api.post(url, {}, format="json"), 409, "timer_running")
    with time_machine.travel(NOW + timedelta(minutes=75), tick=False):
        stopped = api.post(f"{url}stop/")
    assert stopped.status_code == 200, stopped.content
    body = stopped.json()
    assert (body["minutes_run"], body["minutes_recorded"], body["minutes_dropped"]) == (75, 75, 0)
    assert body["entries"][0]["source"] == "timer"
    assert body["entries"][0]["memo"] == "Reminders"
    assert_error(api.post(f"{url}stop/"), 409, "timer_not_running")


def test_the_clients_side_is_told_live_in_the_writers_transaction(clock):
    """Every change of time is stored as a push for everyone who sees the contract (their open time
    page refreshes its week); a refused one is not."""
    organisation = make_organisation(name="Studio Ltd")
    owner = organisation.memberships.get().user
    contract = hourly_contract(organisation=organisation, client=owner)
    viewer = add_member(organisation, Role.VIEWER)
    stranger = make_freelancer()
    assert _log(contract).status_code == 201
    events = UserEvent.objects.filter(payload__type="hourly.time")
    assert set(events.values_list("user_id", flat=True)) == {owner.pk, viewer.pk, contract.freelancer_id}
    assert events.first().payload == {
        "type": "hourly.time",
        "contract": contract.pk,
        "week_start": "2026-11-30",
        "action": "logged",
    }
    assert not events.filter(user=stranger).exists()
    _log(contract, minutes=0)  # refused: nothing announced
    assert events.count() == 3


# --- Queries: the same count at 1 and at 50 rows ---------------------------------------------------


def _fill(contract, entries: int, weeks: int) -> None:
    sheet = Timesheet.objects.get_or_create(
        contract=contract, week_start=THIS_WEEK, currency=contract.currency
    )[0]
    TimeEntry.objects.bulk_create(
        TimeEntry(
            timesheet=sheet,
            started_at=utc(2026, 11, 30, 0, 0) + timedelta(minutes=10 * n),
            minutes=5,
            memo=f"Entry {n}",
            created_by=contract.freelancer,
        )
        for n in range(entries)
    )
    Timesheet.objects.bulk_create(
        Timesheet(contract=contract, week_start=THIS_WEEK - timedelta(weeks=n), currency=contract.currency)
        for n in range(1, weeks + 1)
    )


def _count(user, url) -> int:
    api = as_user(user)
    api.get(url)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "path",
    [
        "/api/contracts/{c}/time-entries/",
        "/api/contracts/{c}/timesheets/",
        "/api/timesheets/{t}/",
        "/contracts/{c}/time/",
        "/contracts/{c}/weeks/{t}/",
        "/contracts/{c}/",
    ],
)
def test_reads_take_the_same_queries_at_1_and_50(clock, path):
    counts = []
    for rows in (1, 50):
        contract = hourly_contract(cap=None)
        _fill(contract, entries=rows, weeks=rows)
        sheet = Timesheet.objects.get(contract=contract, week_start=THIS_WEEK)
        url = path.format(c=contract.pk, t=sheet.pk)
        counts.append((_count(contract.client, url), _count(contract.freelancer, url)))
    assert counts[0] == counts[1], counts


def test_the_dashboard_hours_take_the_same_queries_at_1_and_many_contracts(clock):
    """Both sides' dashboards: a client with 1 and then 20 hourly contracts, and a freelancer with 1
    and then 9 (the daily limit of proposals stops a freelancer at 10 a day)."""
    freelancer, client = make_freelancer(), make_client()
    counts = []
    made = {"mine": 0, "theirs": 0}
    for mine, theirs in ((1, 1), (9, 20)):
        while made["mine"] < mine:
            _fill(hourly_contract(freelancer=freelancer), entries=1, weeks=1)
            made["mine"] += 1
        while made["theirs"] < theirs:
            _fill(hourly_contract(client=client), entries=1, weeks=1)
            made["theirs"] += 1
        counts.append((_count(freelancer, "/dashboard/"), _count(client, "/dashboard/")))
    assert counts[0] == counts[1], counts
