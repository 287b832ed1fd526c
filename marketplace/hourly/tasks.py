from celery import shared_task

from .services.review import timesheets_release_due


@shared_task(name="hourly.release_due_weeks")
def hourly_release_due_weeks() -> dict[str, int]:
    """Approve and release the weeks whose review ended undisputed (idempotent)."""
    return timesheets_release_due()
