"""Logging time: which UTC week an entry lands in (the freelancer types local time in their own zone,
across daylight-saving changes), the weekly cap at its boundary, the timer split at Monday 00:00 UTC,
and the refusals of bad input and of weeks and contracts that take no more time."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.hourly.models import RunningTimer, TimeEntry, Timesheet
from marketplace.hourly.services.time_entries import (
    entry_delete,
    entry_log,
    entry_update,
    local_start,
    timer_start,
    timer_stop,
)
from marketplace.hourly.weeks import week_start_of
from tests.factories import make_contract
from tests.hourly.logging_support import close_week, hourly_contract, logged_minutes, utc

pytestmark = pytest.mark.django_db

MON_30_NOV = date(2026, 11, 30)
MON_23_NOV = date(2026, 11, 23)
# A moment after all the entries below, inside the week of 30 November (still before its billing).
LATER = utc(2026, 12, 1, 12, 0)


def _log(contract, started_at, minutes=60, memo="Worked on the booking page", now=LATER):
    return entry_log(
        acting_user=contract.freelancer,
        contract=contract,
        started_at=started_at,
        minutes=minutes,
        memo=memo,
        now=now,
    )


def _local(contract, day, hh, mm=0):
    return local_start(contract.freelancer, day, time(hh, mm))


# --- Week boundaries across time zones ------------------------------------------------------------


def test_late_sunday_in_utc_minus_10_lands_in_the_next_utc_week():
    contract = hourly_contract(timezone="Pacific/Honolulu")  # UTC-10, no daylight saving
    started = _local(contract, date(2026, 11, 29), 20, 0)  # Sunday 20:00 in Honolulu
    assert started == utc(2026, 11, 30, 6, 0)  # Monday 06:00 UTC
    entry = _log(contract, started, minutes=90)
    assert entry.timesheet.week_start == MON_30_NOV
    # Positive control: Sunday 13:00 there is still Sunday 23:00 UTC, the week before.
    assert (
        _log(contract, _local(contract, date(2026, 11, 29), 13, 0), minutes=60).timesheet.week_start
        == MON_23_NOV
    )


def test_early_monday_in_utc_plus_14_lands_in_the_previous_utc_week():
    contract = hourly_contract(timezone="Pacific/Kiritimati")  # UTC+14
    started = _local(contract, date(2026, 11, 30), 9, 0)  # Monday 09:00 on Kiritimati
    assert started == utc(2026, 11, 29, 19, 0)  # Sunday 19:00 UTC
    entry = _log(contract, started, minutes=120)
    assert entry.timesheet.week_start == MON_23_NOV
    # Monday 14:00 there is Monday 00:00 UTC: the new week starts exactly then.
    assert (
        _log(contract, _local(contract, date(2026, 11, 30), 14, 0), minutes=30).timesheet.week_start
        == MON_30_NOV
    )
    # And an entry from 13:00 for 61 minutes would cross Monday 00:00 UTC: split it, says the refusal.
    with pytest.raises(InvalidInput) as refused:
        _log(contract, _local(contract, date(2026, 11, 30), 13, 0), minutes=61)
    assert refused.value.code == "crosses_week"


def test_europe_berlin_across_the_spring_change():
    """29 March 2026: Berlin's clocks go from 02:00 CET to 03:00 CEST. The UTC week boundary (Monday
    00:00 UTC) is Monday 01:00 in winter and 02:00 in summer."""
    contract = hourly_contract(timezone="Europe/Berlin")
    now = utc(2026, 3, 31, 12, 0)
    # 01:30 CET is 00:30 UTC; two hours of work from then end at 04:30 CEST (one hour was skipped).
    entry = _log(contract, _local(contract, date(2026, 3, 29), 1, 30), minutes=120, now=now)
    assert entry.started_at == utc(2026, 3, 29, 0, 30)
    assert entry.timesheet.week_start == date(2026, 3, 23)
    # 02:30 does not exist that night: refused, not silently moved.
    with pytest.raises(InvalidInput) as refused:
        _local(contract, date(2026, 3, 29), 2, 30)
    assert refused.value.code == "nonexistent_time"
    # Monday 01:30 CEST is Sunday 23:30 UTC: still the week of 23 March (in winter it would not be).
    monday = _log(contract, _local(contract, date(2026, 3, 30), 1, 30), minutes=30, now=now)
    assert monday.started_at == utc(2026, 3, 29, 23, 30)
    assert monday.timesheet.week_start == date(2026, 3, 23)
    assert _log(contract, _local(contract, date(2026, 3, 30), 2, 0), now=now).timesheet.week_start == date(
        2026, 3, 30
    )


def test_europe_berlin_autumn_change_takes_the_first_of_the_repeated_hour():
    contract = hourly_contract(timezone="Europe/Berlin")
    started = _local(contract, date(2026, 10, 25), 2, 30)  # passed twice; the first is CEST
    assert started == utc(2026, 10, 25, 0, 30)
    assert _log(contract, started, now=utc(2026, 10, 26)).timesheet.week_start == date(2026, 10, 19)


def test_new_york_on_its_daylight_saving_sunday():
    """8 March 2026: New York moves from EST (UTC-5) to EDT (UTC-4). The next UTC week starts at 20:00
    that Sunday evening; a week earlier it started at 19:00."""
    contract = hourly_contract(timezone="America/New_York")
    now = utc(2026, 3, 10, 12, 0)
    a_week_before = _log(contract, _local(contract, date(2026, 3, 1), 19, 30), minutes=30, now=now)
    assert a_week_before.timesheet.week_start == date(2026, 3, 2)  # 00:30 UTC Monday
    before = _log(contract, _local(contract, date(2026, 3, 8), 19, 30), minutes=30, now=now)
    assert before.started_at == utc(2026, 3, 8, 23, 30)
    assert before.timesheet.week_start == date(2026, 3, 2)
    after = _log(contract, _local(contract, date(2026, 3, 8), 20, 0), minutes=30, now=now)
    assert after.started_at == utc(2026, 3, 9, 0, 0)
    assert after.timesheet.week_start == date(2026, 3, 9)


# --- The weekly cap ---------------------------------------------------------------------------------


def test_exactly_at_the_cap_is_accepted_and_one_minute_over_is_refused():
    contract = hourly_contract(cap=2)
    _log(contract, utc(2026, 11, 30, 8, 0), minutes=60)
    with pytest.raises(Conflict) as refused:
        _log(contract, utc(2026, 11, 30, 10, 0), minutes=61)
    assert refused.value.code == "weekly_cap_reached"
    assert "1 h left" in refused.value.message
    assert refused.value.fields["minutes_left"] == ["60"]
    _log(contract, utc(2026, 11, 30, 10, 0), minutes=60)  # exactly at the cap
    assert logged_minutes(contract, MON_30_NOV) == 120
    with pytest.raises(Conflict) as full:
        _log(contract, utc(2026, 11, 30, 12, 0), minutes=1)
    assert full.value.code == "weekly_cap_reached"
    assert "0 min left" in full.value.message
    # The cap is per week: the week before still takes its own two hours.
    _log(contract, utc(2026, 11, 27, 9, 0), minutes=120)
    assert logged_minutes(contract, MON_23_NOV) == 120


def test_an_edit_is_capped_without_its_own_old_minutes():
    contract = hourly_contract(cap=2)
    entry = _log(contract, utc(2026, 11, 30, 8, 0), minutes=90)
    _log(contract, utc(2026, 11, 30, 10, 0), minutes=30)
    # 90 → 90 with a new memo fits (the entry's own 90 are not counted twice) …
    entry_update(acting_user=contract.freelancer, entry=entry, memo="Calendar widget", now=LATER)
    # … 90 → 91 does not.
    with pytest.raises(Conflict) as refused:
        entry_update(acting_user=contract.freelancer, entry=entry, minutes=91, now=LATER)
    assert refused.value.code == "weekly_cap_reached"
    entry.refresh_from_db()
    assert (entry.minutes, entry.memo) == (90, "Calendar widget")


def test_no_cap_takes_any_number_of_entries():
    contract = hourly_contract(cap=None)
    for day in range(7):
        _log(contract, utc(2026, 11, 23 + day, 0, 0), minutes=24 * 60 if day < 6 else 23 * 60, now=LATER)
    assert logged_minutes(contract, MON_23_NOV) == 6 * 24 * 60 + 23 * 60


# --- The timer --------------------------------------------------------------------------------------


def test_a_timer_across_monday_midnight_is_split_and_each_week_capped():
    contract = hourly_contract(cap=2)
    _log(contract, utc(2026, 11, 27, 9, 0), minutes=90, now=LATER)  # 30 minutes left in that week
    timer_start(
        acting_user=contract.freelancer, contract=contract, memo="Release night", now=utc(2026, 11, 29, 23, 0)
    )
    stopped = timer_stop(acting_user=contract.freelancer, contract=contract, now=utc(2026, 11, 30, 1, 0, 30))
    assert stopped.minutes_run == 120
    assert [(e.timesheet.week_start, e.started_at, e.minutes) for e in stopped.entries] == [
        (MON_23_NOV, utc(2026, 11, 29, 23, 0), 30),  # capped: 30 of its 60 minutes
        (MON_30_NOV, utc(2026, 11, 30, 0, 0), 60),
    ]
    assert {(e.source, e.memo) for e in stopped.entries} == {(TimeEntry.Source.TIMER, "Release night")}
    assert stopped.minutes_dropped == 30
    assert any("weekly limit of 2 hours was reached" in note for note in stopped.notes)
    assert logged_minutes(contract, MON_23_NOV) == 120
    assert not RunningTimer.objects.filter(contract=contract).exists()


def test_a_timer_within_one_week_records_whole_minutes():
    contract = hourly_contract()
    timer_start(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 9, 0, 0))
    with pytest.raises(Conflict) as twice:
        timer_start(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 9, 1))
    assert twice.value.code == "timer_running"
    stopped = timer_stop(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 9, 45, 59))
    assert [e.minutes for e in stopped.entries] == [45]
    assert stopped.minutes_dropped == 0
    with pytest.raises(Conflict) as again:
        timer_stop(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 10, 0))
    assert again.value.code == "timer_not_running"


def test_the_timer_does_not_start_in_a_full_week_and_a_short_run_records_nothing():
    contract = hourly_contract(cap=1)
    _log(contract, utc(2026, 11, 30, 8, 0), minutes=60)
    with pytest.raises(Conflict) as full:
        timer_start(acting_user=contract.freelancer, contract=contract, now=LATER)
    assert full.value.code == "weekly_cap_reached"
    other = hourly_contract()
    timer_start(acting_user=other.freelancer, contract=other, now=LATER)
    stopped = timer_stop(acting_user=other.freelancer, contract=other, now=LATER + timedelta(seconds=50))
    assert stopped.entries == []
    assert stopped.minutes_run == 0
    assert "under a minute" in stopped.notes[0]


def test_a_timer_stopped_while_paused_records_nothing_and_says_why():
    contract = hourly_contract()
    timer_start(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 9, 0))
    close_week(contract, MON_23_NOV, Timesheet.Status.PAYMENT_FAILED)
    stopped = timer_stop(acting_user=contract.freelancer, contract=contract, now=utc(2026, 12, 1, 10, 0))
    assert stopped.entries == []
    assert stopped.minutes_dropped == 60
    assert "paused" in stopped.notes[0]


# --- Refusals -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "memo", "started", "code"),
    [
        (0, "Work", utc(2026, 11, 30, 8, 0), "bad_duration"),
        (-30, "Work", utc(2026, 11, 30, 8, 0), "bad_duration"),
        (24 * 60 + 1, "Work", utc(2026, 11, 30, 8, 0), "bad_duration"),
        (60, "Work", LATER + timedelta(minutes=5), "future_time"),
        (60, "Work", LATER - timedelta(minutes=30), "future_time"),  # ends 30 minutes from now
        (60, "x" * 501, utc(2026, 11, 30, 8, 0), "memo_too_long"),
        (60, "   ", utc(2026, 11, 30, 8, 0), "memo_required"),
        (120, "Work", utc(2026, 11, 29, 23, 0), "crosses_week"),
    ],
)
def test_bad_input_is_refused_with_its_code(minutes, memo, started, code):
    contract = hourly_contract(cap=None)
    with pytest.raises(InvalidInput) as refused:
        _log(contract, started, minutes=minutes, memo=memo)
    assert refused.value.code == code
    assert not TimeEntry.objects.exists()


def test_exactly_500_characters_and_exactly_24_hours_are_accepted():
    contract = hourly_contract(cap=None)
    _log(contract, utc(2026, 11, 30, 0, 0), minutes=24 * 60, memo="x" * 500)
    assert TimeEntry.objects.get().minutes == 24 * 60


def test_a_closed_week_takes_no_entries_edits_or_deletions():
    contract = hourly_contract()
    entry = _log(contract, utc(2026, 11, 27, 9, 0), now=LATER)
    close_week(contract, MON_23_NOV, Timesheet.Status.CHARGING)
    for attempt in (
        lambda: _log(contract, utc(2026, 11, 27, 12, 0)),
        lambda: entry_update(acting_user=contract.freelancer, entry=entry, minutes=30, now=LATER),
        lambda: entry_delete(acting_user=contract.freelancer, entry=entry),
        # Nor can an open week's entry move into it.
        lambda: entry_update(
            acting_user=contract.freelancer,
            entry=_log(contract, utc(2026, 11, 30, 9, 0)),
            started_at=utc(2026, 11, 27, 15, 0),
            now=LATER,
        ),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "week_closed"
    assert TimeEntry.objects.get(pk=entry.pk).minutes == 60
    # Positive control: the open week's entries still change.
    fresh = TimeEntry.objects.filter(timesheet__week_start=MON_30_NOV).get()
    entry_update(acting_user=contract.freelancer, entry=fresh, minutes=45, now=LATER)
    entry_delete(acting_user=contract.freelancer, entry=fresh)
    assert not TimeEntry.objects.filter(pk=fresh.pk).exists()


def test_a_paused_contract_takes_no_time_until_the_week_is_paid():
    contract = hourly_contract()
    sheet = close_week(contract, MON_23_NOV, Timesheet.Status.PAYMENT_FAILED)
    for attempt in (
        lambda: _log(contract, utc(2026, 11, 30, 9, 0)),
        lambda: timer_start(acting_user=contract.freelancer, contract=contract, now=LATER),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "contract_paused"
    # The client pays from the page: the week is charged again (then in review): no longer paused.
    Timesheet.objects.filter(pk=sheet.pk).update(status=Timesheet.Status.CHARGING)
    assert _log(contract, utc(2026, 11, 30, 9, 0)).minutes == 60


def test_only_the_freelancer_logs_and_only_on_an_active_hourly_contract():
    contract = hourly_contract()
    with pytest.raises(PermissionDenied) as client:
        entry_log(
            acting_user=contract.client,
            contract=contract,
            started_at=utc(2026, 11, 30, 8),
            minutes=60,
            memo="x",
            now=LATER,
        )
    assert client.value.code == "not_the_freelancer"
    fixed = make_contract(milestones=[10_000])
    with pytest.raises(Conflict) as not_hourly:
        _log(fixed, utc(2026, 11, 30, 8, 0))
    assert not_hourly.value.code == "not_hourly"
    type(contract).objects.filter(pk=contract.pk).update(status="cancelled")
    with pytest.raises(Conflict) as ended:
        _log(contract, utc(2026, 11, 30, 8, 0))
    assert ended.value.code == "contract_not_active"


# --- Property: the week of a typed local time, against an independent reference ---------------------

ZONES = ["Pacific/Honolulu", "Pacific/Kiritimati", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC"]


@given(
    zone=st.sampled_from(ZONES),
    moment=st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2028, 12, 31)),
)
def test_the_week_of_a_local_time_matches_counting_days_from_the_epoch(zone, moment):
    """The UTC week a local time lands in, by ``local_start`` and ``week_start_of``, against days
    counted from 1 January 1970 (a Thursday) on the instant's POSIX timestamp; the hour the clocks
    skip is refused and checked to be one (it does not come back from UTC)."""
    user = User(timezone=zone)
    moment = moment.replace(second=0, microsecond=0)
    aware = moment.replace(tzinfo=ZoneInfo(zone))
    if aware.astimezone(ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).replace(tzinfo=None) != moment:
        with pytest.raises(InvalidInput, match="does not exist"):
            local_start(user, moment.date(), moment.time())
        return
    started = local_start(user, moment.date(), moment.time())
    assert started.astimezone(ZoneInfo(zone)).replace(tzinfo=None) == moment
    days = int(started.timestamp()) // 86_400
    monday = date(1970, 1, 1) + timedelta(days=days - (days + 3) % 7)
    assert week_start_of(started) == monday
