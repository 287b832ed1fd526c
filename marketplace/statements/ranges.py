"""A statement's date range: two calendar dates, both included, read in a time zone.

``from`` and ``to`` are ISO dates (``2026-03-01``); the range runs from the start of ``from`` to the
end of ``to`` in the zone (the viewer's, ``User.timezone``; UTC when it has none or an unknown one).
Refusals are 400 with a code: ``date_invalid`` (not a date), ``range_reversed`` (from after to),
``range_too_long`` (more than ``MAX_DAYS`` days).
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from marketplace.core.exceptions import InvalidInput

MAX_DAYS = 366


@dataclass(frozen=True)
class DateRange:
    start: dt.date
    end: dt.date  # included
    zone: str

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time(), tzinfo=self.tz)

    @property
    def ends_before(self) -> dt.datetime:
        """The first moment after the range (the start of the day after ``end``)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=self.tz)


def zone_of(user) -> str:
    name = getattr(user, "timezone", "") or "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError, TypeError):
        raise InvalidInput(
            f"“{value}” is not a date; use YYYY-MM-DD.", code="date_invalid", fields={field: ["Not a date."]}
        ) from None


def parse_range(raw_from: str | None, raw_to: str | None, *, zone: str, today: dt.date) -> DateRange:
    """The range asked for; a missing ``from`` is the first of the current month, a missing ``to``
    is ``today`` (both in ``zone``)."""
    start = _date(raw_from, "from") if raw_from else today.replace(day=1)
    end = _date(raw_to, "to") if raw_to else today
    if start > end:
        raise InvalidInput(
            "The start date is after the end date.",
            code="range_reversed",
            fields={"from": ["After the end date."]},
        )
    if (end - start).days + 1 > MAX_DAYS:
        raise InvalidInput(
            f"A statement covers at most {MAX_DAYS} days; choose a shorter range.",
            code="range_too_long",
            fields={"to": [f"More than {MAX_DAYS} days after the start."]},
        )
    return DateRange(start, end, zone)
