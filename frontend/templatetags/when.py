"""Times relative to now, in the largest unit only: ``{{ job.opened_at|ago }}`` → “3 hours ago”,
``{{ offer.expires_at|from_now }}`` → “in 7 days”, ``{{ closes_at|left }}`` → “7 days left”.
(Django's ``timesince`` filter says “3 hours, 5 minutes”, which is noise in a list.) Absolute
times beside them follow the viewer's time zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"


# (unit, its length in seconds, the rounded count below which a smaller unit says it better)
_FUTURE_UNITS = (
    ("minute", 60, 60),
    ("hour", 3_600, 24),
    ("day", 86_400, 21),
    ("week", 604_800, 9),
    ("month", 2_592_000, 24),
    ("year", 31_536_000, None),
)


def _rounded_span(seconds: float) -> str:
    """A span in the smallest unit whose rounded count fits below its limit, rounded to the nearest
    (half up): 6 days 23 hours → “7 days”, 59 minutes 40 seconds → “1 hour”."""
    for unit, length, limit in _FUTURE_UNITS:
        count = int(seconds / length + 0.5)
        if limit is None or count < limit:
            return f"{count}\xa0{unit}{'' if count == 1 else 's'}"
    raise AssertionError("unreachable")  # the last unit has no limit


@register.filter
def from_now(value: datetime | None) -> str:
    """“in 7 days”, rounded to the nearest unit (a week-long offer just sent says 7 days, not 6);
    “now” once the moment has passed (the page says what that means)."""
    if not value:
        return ""
    seconds = (value - timezone.now()).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in less than a minute"
    return f"in {_rounded_span(seconds)}"


@register.filter
def left(value: datetime | None) -> str:
    """“7 days left”, rounded as ``from_now`` rounds; “no time left” once the moment has passed."""
    if not value:
        return ""
    seconds = (value - timezone.now()).total_seconds()
    if seconds <= 0:
        return "no time left"
    if seconds < 60:
        return "less than a minute left"
    return f"{_rounded_span(seconds)} left"
