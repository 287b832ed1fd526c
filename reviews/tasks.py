"""Background work of the reviews app."""

from celery import shared_task

from .services import review_windows_due


@shared_task(name="reviews.windows_due")
def review_windows_due_task() -> int:
    """Publish the reviews of closed windows and send the reminders due (idempotent; beat runs it)."""
    return review_windows_due()
