"""Hourly contracts' time in templates: ``{{ minutes|hm }}`` → ``3 h 20 min``."""

from django import template

register = template.Library()


@register.filter
def hm(minutes) -> str:
    """Minutes as hours and minutes: 0 → "0 h", 45 → "45 min", 200 → "3 h 20 min"."""
    try:
        minutes = int(minutes or 0)
    except (TypeError, ValueError):
        return ""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours} h {rest} min"
    if rest:
        return f"{rest} min"
    return f"{hours} h"


WEEK_TONES = {
    "open": "badge--info",
    "charging": "badge--info",
    "payment_failed": "badge--error",
    "in_review": "badge--warning",
    "disputed": "badge--warning",
    "approved": "badge--success",
    "released": "badge--success",
    "refunded": "",
    "split": "",
    "empty": "",
}


@register.filter
def week_tone(status: str) -> str:
    return WEEK_TONES.get(status, "")
