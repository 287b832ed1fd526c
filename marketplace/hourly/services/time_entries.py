"""Logging time on an hourly contract: entries by hand, the start/stop timer, edits and deletions.

Every write of a week's time happens under the lock of that week's ``Timesheet`` row: the row is made
if missing (``get_or_create``; the unique (contract, week_start) constraint makes a concurrent maker
find the other's row), then locked ``select_for_update``; under it the week must still be open (not
billed: 409 ``week_closed``) and the week's minutes plus the new ones must fit the contract's weekly
cap (409 ``weekly_cap_reached``, saying what is left). Billing takes the same lock before it fixes the
week's minutes, so an entry lands either before the bill (and is billed) or is refused after it — and
two entries racing for the last hour of the cap queue at the row, the second seeing the first.

Times are UTC instants; a freelancer types a day and a start time in their own time zone
(``User.timezone``), turned into UTC by ``local_start``. An entry lies inside one UTC week (Monday
00:00 to the next): a typed entry that crosses Monday 00:00 UTC is refused with where to split it; a
timer stopped after the boundary is split there into one entry per week, each week's cap applied to
its part (time past the cap is not recorded, and the answer says how much).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.contracts.models import Contract
from marketplace.core.exceptions import Conflict, InvalidInput

from ..events import time_changed
from ..models import RunningTimer, TimeEntry, Timesheet
from ..permissions import require_loggable, require_logger
from ..weeks import week_bounds, week_start_of

MAX_ENTRY_MINUTES = 24 * 60
MEMO_MAX = 500
# No time before this is taken (and dates far outside it overflow the arithmetic).
EARLIEST = datetime(2000, 1, 1, tzinfo=ZoneInfo("UTC"))
# A typed entry may end this far past "now" (the clock between the form and the server).
END_GRACE = timedelta(minutes=1)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_start(user: User, day: date, start: time) -> datetime:
    """The UTC instant of ``day`` at ``start`` on ``user``'s clock (``User.timezone``). A time the
    clocks skip (the hour lost to daylight saving) is refused (400 ``nonexistent_time``); a time they
    pass twice is the first of the two."""
    zone = _zone(user.timezone)
    naive = datetime.combine(day, start)
    if not EARLIEST.year <= day.year <= 2100:
        raise InvalidInput("That day is out of range.", code="bad_start", fields={"date": ["Out of range."]})
    aware = naive.replace(tzinfo=zone, fold=0)
    utc = aware.astimezone(ZoneInfo("UTC"))
    if utc.astimezone(zone).replace(tzinfo=None) != naive:
        raise InvalidInput(
            f"{start:%H:%M} does not exist on {day:%d %b %Y} in {zone.key} (the clocks moved forward).",
            code="nonexistent_time",
            fields={"start_time": ["This time does not exist on that day in your time zone."]},
        )
    return utc


def _hours(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    return f"{hours} h" if hours else f"{rest} min"


def _cap_text(contract: Contract) -> str:
    cap = contract.weekly_hour_cap
    return f"{cap} hour" if cap == 1 else f"{cap} hours"


def cap_minutes(contract: Contract) -> int | None:
    return None if contract.weekly_hour_cap is None else contract.weekly_hour_cap * 60


def _clean_memo(memo: str, *, required: bool) -> str:
    memo = (memo or "").strip()
    if required and not memo:
        raise InvalidInput(
            "Say what the time was spent on.", code="memo_required", fields={"memo": ["Required."]}
        )
    if len(memo) > MEMO_MAX:
        raise InvalidInput(
            f"The memo is {len(memo)} characters; at most {MEMO_MAX}.",
            code="memo_too_long",
            fields={"memo": [f"At most {MEMO_MAX} characters."]},
        )
    return memo


def _check_span(started_at: datetime, minutes: int, now: datetime) -> tuple[datetime, date]:
    """The entry's start (UTC, whole minute) and week, refused when its length is out of range, it
    is in the future or it crosses Monday 00:00 UTC."""
    if started_at.tzinfo is None:
        raise InvalidInput(
            "The start needs a time zone.", code="naive_time", fields={"started_at": ["No zone."]}
        )
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        raise InvalidInput(
            "The duration must be at least one minute.",
            code="bad_duration",
            fields={"minutes": ["At least 1."]},
        )
    if minutes > MAX_ENTRY_MINUTES:
        raise InvalidInput(
            "One entry is at most 24 hours; log longer work as several entries.",
            code="bad_duration",
            fields={"minutes": [f"At most {MAX_ENTRY_MINUTES}."]},
        )
    try:
        started_at = started_at.astimezone(ZoneInfo("UTC")).replace(second=0, microsecond=0)
    except OverflowError as exc:
        raise InvalidInput(
            "That start is out of range.", code="bad_start", fields={"started_at": ["Out of range."]}
        ) from exc
    if started_at > now:
        raise InvalidInput(
            "Time can be logged only once it has been worked: this entry starts in the future.",
            code="future_time",
            fields={"started_at": ["Starts in the future."]},
        )
    if started_at < EARLIEST:
        raise InvalidInput(
            "That start is out of range.", code="bad_start", fields={"started_at": ["Out of range."]}
        )
    end = started_at + timedelta(minutes=minutes)
    if started_at > now or end > now + END_GRACE:
        raise InvalidInput(
            "Time can be logged only once it has been worked: this entry ends in the future.",
            code="future_time",
            fields={"started_at": ["Ends in the future."]},
        )
    week = week_start_of(started_at)
    week_end = week_bounds(week)[1]
    if end > week_end:
        raise InvalidInput(
            "This entry crosses the start of a new billing week (Monday 00:00 UTC); log the time before "
            f"and after {week_end:%a %d %b %H:%M} UTC as two entries.",
            code="crosses_week",
            fields={"minutes": ["Crosses Monday 00:00 UTC."]},
        )
    return started_at, week


def _locked_week(contract: Contract, week: date) -> Timesheet:
    """The week's timesheet, made if missing, locked until the transaction ends."""
    sheet, _made = Timesheet.objects.get_or_create(
        contract=contract, week_start=week, defaults={"currency": contract.currency}
    )
    return Timesheet.objects.select_for_update().get(pk=sheet.pk)


def _require_open(sheet: Timesheet) -> None:
    if sheet.status != Timesheet.Status.OPEN:
        raise Conflict(
            f"The week of {sheet.week_start:%d %b %Y} is closed ({sheet.get_status_display().lower()}); its "
            "time can no longer change.",
            code="week_closed",
        )


def _logged(sheet: Timesheet, *, excluding: int | None = None) -> int:
    entries = sheet.entries.all()
    if excluding is not None:
        entries = entries.exclude(pk=excluding)
    return entries.aggregate(total=Sum("minutes"))["total"] or 0


def _require_fits(
    contract: Contract, sheet: Timesheet, minutes: int, *, excluding: int | None = None
) -> None:
    cap = cap_minutes(contract)
    if cap is None:
        return
    left = cap - _logged(sheet, excluding=excluding)
    if minutes > left:
        raise Conflict(
            f"This would pass the weekly limit of {_cap_text(contract)}: "
            f"{_hours(left)} left in the week of {sheet.week_start:%d %b %Y}.",
            code="weekly_cap_reached",
            fields={"minutes": [f"{_hours(left)} left this week."], "minutes_left": [str(max(left, 0))]},
        )


def _fresh_contract(contract: Contract) -> Contract:
    return Contract.objects.get(pk=contract.pk)


@transaction.atomic
def entry_log(
    *,
    acting_user: User,
    contract: Contract,
    started_at: datetime,
    minutes: int,
    memo: str,
    now: datetime | None = None,
) -> TimeEntry:
    """Log ``minutes`` worked from ``started_at`` (aware) on the contract, by hand."""
    require_logger(acting_user, contract)
    contract = _fresh_contract(contract)
    require_loggable(contract)
    memo = _clean_memo(memo, required=True)
    started_at, week = _check_span(started_at, minutes, now or timezone.now())
    sheet = _locked_week(contract, week)
    _require_open(sheet)
    _require_fits(contract, sheet, minutes)
    entry = TimeEntry.objects.create(
        timesheet=sheet, started_at=started_at, minutes=minutes, memo=memo, created_by=acting_user
    )
    time_changed.send(Timesheet, contract=contract, timesheet=sheet, action="logged", actor=acting_user)
    return entry


def _locked_entry(entry: TimeEntry) -> tuple[TimeEntry, Timesheet]:
    """The entry's week locked, then the entry read fresh under it (404-like when gone)."""
    sheet = Timesheet.objects.select_for_update().get(pk=entry.timesheet_id)
    fresh = TimeEntry.objects.filter(pk=entry.pk).first()
    if fresh is None or fresh.timesheet_id != sheet.pk:
        raise Conflict("This entry was deleted or moved meanwhile.", code="entry_gone")
    return fresh, sheet


@transaction.atomic
def entry_update(
    *,
    acting_user: User,
    entry: TimeEntry,
    started_at: datetime | None = None,
    minutes: int | None = None,
    memo: str | None = None,
    now: datetime | None = None,
) -> TimeEntry:
    """Change an entry's start, length or memo while its week (and the week it moves to) is open;
    the cap is checked without the entry's old minutes."""
    contract = _fresh_contract(entry.timesheet.contract)
    require_logger(acting_user, contract)
    require_loggable(contract)
    now = now or timezone.now()
    # Checked on the entry as read (again below, under the lock): which week it would move to.
    _start, new_week = _check_span(
        started_at if started_at is not None else entry.started_at,
        minutes if minutes is not None else entry.minutes,
        now,
    )
    if new_week != entry.timesheet.week_start:
        # Moving to another week: both weeks' rows, the earlier week first (the one order of
        # timesheet locks, so two writers of two weeks never wait on each other in a cycle).
        for week in sorted({new_week, entry.timesheet.week_start}):
            _locked_week(contract, week)
    entry, sheet = _locked_entry(entry)
    _require_open(sheet)
    new_start = started_at if started_at is not None else entry.started_at
    new_minutes = minutes if minutes is not None else entry.minutes
    new_memo = _clean_memo(memo if memo is not None else entry.memo, required=True)
    new_start, week = _check_span(new_start, new_minutes, now)
    target = sheet if week == sheet.week_start else _locked_week(contract, week)  # locked above already
    _require_open(target)
    _require_fits(contract, target, new_minutes, excluding=entry.pk)
    entry.timesheet = target
    entry.started_at, entry.minutes, entry.memo = new_start, new_minutes, new_memo
    entry.save(update_fields=["timesheet", "started_at", "minutes", "memo", "updated_at"])
    time_changed.send(Timesheet, contract=contract, timesheet=target, action="edited", actor=acting_user)
    return entry


@transaction.atomic
def entry_delete(*, acting_user: User, entry: TimeEntry) -> None:
    """Delete an entry of an open week (a paused or ended contract's open week too: removing time
    never needs the contract to take more)."""
    contract = entry.timesheet.contract
    require_logger(acting_user, contract)
    entry, sheet = _locked_entry(entry)
    _require_open(sheet)
    entry.delete()
    time_changed.send(Timesheet, contract=contract, timesheet=sheet, action="deleted", actor=acting_user)


# --- The timer ------------------------------------------------------------------------------------


@transaction.atomic
def timer_start(
    *, acting_user: User, contract: Contract, memo: str = "", now: datetime | None = None
) -> RunningTimer:
    """Start the contract's timer now (409 ``timer_running`` when it runs already; 409
    ``weekly_cap_reached`` when this week has no time left)."""
    require_logger(acting_user, contract)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require_loggable(contract)
    memo = _clean_memo(memo, required=False)
    now = (now or timezone.now()).replace(microsecond=0)
    if RunningTimer.objects.filter(contract=contract).exists():
        raise Conflict("The timer is running already; stop it first.", code="timer_running")
    sheet = Timesheet.objects.filter(contract=contract, week_start=week_start_of(now)).first()
    if sheet is not None:
        _require_open(sheet)
        _require_fits(contract, sheet, 1)
    timer = RunningTimer.objects.create(contract=contract, started_at=now, memo=memo, started_by=acting_user)
    time_changed.send(
        Timesheet, contract=contract, timesheet=sheet, action="timer_started", actor=acting_user
    )
    return timer


@dataclass
class TimerStopped:
    """What stopping the timer recorded: the entries (one per UTC week it ran in), the minutes it ran
    and the minutes not recorded (past a week's cap, or in a week already closed), with why."""

    entries: list[TimeEntry] = field(default_factory=list)
    minutes_run: int = 0
    minutes_dropped: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def minutes_recorded(self) -> int:
        return sum(entry.minutes for entry in self.entries)


def timer_pieces(started_at: datetime, stopped_at: datetime) -> list[tuple[datetime, int]]:
    """[start, stop) cut at each Monday 00:00 UTC into (start, whole minutes) per week; minutes are
    counted from the timer's start, so the parts add up to the whole run (seconds dropped once)."""
    total = int((stopped_at - started_at).total_seconds() // 60)
    pieces: list[tuple[datetime, int]] = []
    cursor, used = started_at, 0
    while used < total:
        boundary = week_bounds(week_start_of(cursor))[1]
        upto = min(total, int((boundary - started_at).total_seconds() // 60))
        if upto > used:
            pieces.append((cursor, upto - used))
            used = upto
        cursor = boundary
    return pieces


@transaction.atomic
def timer_stop(*, acting_user: User, contract: Contract, now: datetime | None = None) -> TimerStopped:
    """Stop the timer into entries, split at Monday 00:00 UTC. Each week's part is recorded up to
    that week's cap (what is past it is dropped and said); a part in a week already closed is dropped
    too. A contract paused or ended while the timer ran records nothing (the reason is said). Under a
    minute records nothing. 409 ``timer_not_running`` when there is no timer."""
    require_logger(acting_user, contract)
    timer = RunningTimer.objects.select_for_update().filter(contract=contract).first()
    if timer is None:
        raise Conflict("The timer is not running.", code="timer_not_running")
    contract = _fresh_contract(contract)
    now = now or timezone.now()
    result = TimerStopped(minutes_run=max(int((now - timer.started_at).total_seconds() // 60), 0))
    timer.delete()
    try:
        require_loggable(contract)
    except Conflict as refusal:
        result.minutes_dropped = result.minutes_run
        result.notes.append(f"Nothing was recorded: {refusal.message}")
        time_changed.send(
            Timesheet, contract=contract, timesheet=None, action="timer_stopped", actor=acting_user
        )
        return result
    if result.minutes_run == 0:
        result.notes.append("The timer ran under a minute; nothing was recorded.")
    cap = cap_minutes(contract)
    last_sheet = None
    for start, minutes in timer_pieces(timer.started_at, now):
        sheet = _locked_week(contract, week_start_of(start))
        last_sheet = sheet
        if sheet.status != Timesheet.Status.OPEN:
            result.minutes_dropped += minutes
            result.notes.append(
                f"{_hours(minutes)} in the week of {sheet.week_start:%d %b} were not recorded: that week is "
                "already billed."
            )
            continue
        keep = minutes if cap is None else min(minutes, max(cap - _logged(sheet), 0))
        if keep < minutes:
            result.minutes_dropped += minutes - keep
            result.notes.append(
                f"The weekly limit of {_cap_text(contract)} was reached in the week of "
                f"{sheet.week_start:%d %b}: {_hours(keep)} recorded, {_hours(minutes - keep)} past the limit "
                "not recorded."
            )
        if keep:
            result.entries.append(
                TimeEntry.objects.create(
                    timesheet=sheet,
                    started_at=start,
                    minutes=keep,
                    memo=timer.memo,
                    source=TimeEntry.Source.TIMER,
                    created_by=acting_user,
                )
            )
    time_changed.send(
        Timesheet, contract=contract, timesheet=last_sheet, action="timer_stopped", actor=acting_user
    )
    return result
