"""Stars and scores in review and reputation templates.

``{{ review.overall|stars }}`` → “★★★★☆” (decorative: pages put the number in words beside it),
``{{ reputation.rating_avg|rating }}`` → “4.8”, ``{{ scorecard.avg_days_to_pay|days }}`` → “2.5 days”,
``{% for label, value in review|sub_scores %}`` → the review's sub-scores in its direction's order."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

from ..review_facts import sub_scores as review_sub_scores

register = template.Library()


@register.filter
def stars(value) -> str:
    """Five stars, as many filled as the value rounded half up (a 4.5 average fills five)."""
    if value is None:
        return ""
    filled = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return "★" * filled + "☆" * (5 - filled)


@register.filter
def rating(value) -> str:
    """An average of stars with one decimal: 4.80 → “4.8”."""
    if value is None:
        return ""
    return str(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


@register.filter
def days(value) -> str:
    """A number of days with one decimal where it has one: 2.5 → “2.5 days”, 1.0 → “1 day”."""
    if value is None:
        return ""
    number = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    shown = f"{number:f}".removesuffix(".0")
    return f"{shown}\xa0day{'' if shown == '1' else 's'}"


@register.filter
def sub_scores(review) -> list[tuple[str, int]]:
    return review_sub_scores(review)
