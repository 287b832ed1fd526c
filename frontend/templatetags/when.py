"""Times relative to now, in the largest unit only: ``{{ job.opened_at|ago }}`` → “3 hours ago”,
``{{ offer.expires_at|from_now }}`` → “in 6 days”. (Django's ``timesince`` filter says “3 hours,
5 minutes”, which is noise in a list.) Absolute times beside them follow the viewer's time zone."""

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince, timeuntil

register = template.Library()


@register.filter
def ago(value: datetime | None) -> str:
    if not value:
        return ""
    if (timezone.now() - value).total_seconds() < 60:
        return "just now"
    return f"{timesince(value, depth=1)} ago"


@register.filter
def from_now(value: datetime | None) -> str:
    """“in 6 days”; “now” once the moment has passed (the page says what that means)."""
    if not value:
        return ""
    if value <= timezone.now():
        return "now"
    if (value - timezone.now()).total_seconds() < 60:
        return "in less than a minute"
    return f"in {timeuntil(value, depth=1)}"
