from celery import shared_task

from .services.milestones import milestones_due


@shared_task(name="contracts.milestones_due")
def contracts_milestones_due() -> dict[str, int]:
    """Approve submissions left unanswered; refund cancelled contracts' milestones (idempotent)."""
    return milestones_due()
