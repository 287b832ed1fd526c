"""Hourly billing's background work: the billing sweep (beat), each week's off-session charge, and
the release of weeks whose review ended undisputed (beat)."""

from celery import shared_task

from marketplace.core.exceptions import DependencyUnavailable

from .services.billing import timesheet_charge, weeks_bill_due
from .services.review import timesheets_release_due


@shared_task(name="hourly.bill_due_weeks")
def bill_due_weeks() -> dict[str, int]:
    """Bill every week whose billing time has come; charge again weeks left charging too long."""
    return weeks_bill_due()


# The processor not answering: retried with backoff (5 s, 10 s, 20 s… up to 10 min), the charge
# repeating its own idempotency key; after the last try the sweep queues it again.
@shared_task(
    name="hourly.charge_week",
    autoretry_for=(DependencyUnavailable,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=8,
)
def charge_week(timesheet_id: int) -> str:
    return timesheet_charge(timesheet_id=timesheet_id).status


@shared_task(name="hourly.release_due_weeks")
def hourly_release_due_weeks() -> dict[str, int]:
    """Approve and release the weeks whose review ended undisputed (idempotent)."""
    return timesheets_release_due()
