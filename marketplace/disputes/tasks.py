"""Background work of the disputes app: escalating disputes nobody answered in time."""

from celery import shared_task

from .services import disputes_escalate_due


@shared_task(name="disputes.escalate_due")
def disputes_escalate_due_task() -> int:
    """Escalate open disputes past their response deadline (idempotent; beat runs it often)."""
    return disputes_escalate_due()
