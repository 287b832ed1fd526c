"""Week arithmetic: the one home of where a UTC week starts and ends, when it is billed, when its
review ends, and what its minutes cost. Pure functions of aware datetimes and integers."""

from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings

WEEK = timedelta(days=7)


def week_start_of(moment: datetime) -> date:
    """The Monday (UTC) of the week ``moment`` (aware) falls in."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def week_bounds(week_start: date) -> tuple[datetime, datetime]:
    """[start, end) of the week as aware UTC datetimes."""
    start = datetime.combine(week_start, time.min, tzinfo=UTC)
    return start, start + WEEK


def billing_due_at(week_start: date) -> datetime:
    """When the week is billed: its end (Monday 00:00 UTC) plus ``HOURLY_BILLING_DELAY_HOURS``, so a
    freelancer can still log Sunday's last hours on Monday morning."""
    return week_bounds(week_start)[1] + timedelta(hours=settings.HOURLY_BILLING_DELAY_HOURS)


def review_deadline(funded_at: datetime) -> datetime:
    """The end of the client's review: Friday 23:59:59 UTC of the week the money arrived, or of the
    next week when that leaves under ``HOURLY_REVIEW_MIN_DAYS`` (a week paid late, after a failed
    charge, still gets its days of review)."""
    earliest = funded_at.astimezone(UTC) + timedelta(days=settings.HOURLY_REVIEW_MIN_DAYS)
    start, _end = week_bounds(week_start_of(earliest))
    friday_end = start + timedelta(days=4, hours=23, minutes=59, seconds=59)
    return friday_end if friday_end >= earliest else friday_end + WEEK


def amount_minor(minutes: int, rate_minor: int) -> int:
    """minutes times hourly rate, in minor units, rounded half up (integer arithmetic only)."""
    return (minutes * rate_minor * 2 + 60) // 120
