"""A dispute's deadlines: the respondent's days to answer, and support's business days to decide.

Business days skip Saturday and Sunday (UTC); public holidays are not known to the platform.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings


def add_business_days(start: datetime, days: int) -> datetime:
    """``start`` moved on a day at a time (in UTC) until ``days`` weekdays have been reached, at the
    same time of day: Wednesday 10:00 + 1 → Thursday 10:00; Friday 10:00 + 1 → Monday 10:00;
    Saturday 10:00 + 1 → Monday 10:00."""
    moved = start.astimezone(UTC)
    remaining = days
    while remaining > 0:
        moved += timedelta(days=1)
        if moved.weekday() < 5:
            remaining -= 1
    return moved


def respond_by(opened_at: datetime) -> datetime:
    return opened_at + timedelta(days=settings.DISPUTE_RESPONSE_DAYS)


def decide_by(escalated_at: datetime) -> datetime:
    return add_business_days(escalated_at, settings.DISPUTE_DECISION_BUSINESS_DAYS)
