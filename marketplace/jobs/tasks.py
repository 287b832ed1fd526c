from celery import shared_task

from .services import expire_due


@shared_task(name="jobs.expire_due")
def jobs_expire_due() -> dict[str, int]:
    """Warn before jobs expire; expire jobs and offers whose time is up (idempotent)."""
    return expire_due()
