"""The periodic sweep: warn before jobs expire, expire jobs and offers whose time is up.

Each row moves in its own transaction, so one failure does not hold back the rest, and running
the sweep twice changes nothing the second time."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Job, Offer
from .jobs import job_expire, job_expiry_warn
from .offers import offer_expire


def expire_due() -> dict[str, int]:
    now = timezone.now()
    warn_before = now + timedelta(days=settings.JOB_EXPIRY_WARNING_DAYS)
    to_warn = Job.objects.filter(
        status=Job.Status.OPEN, expiry_warned_at__isnull=True, expires_at__gt=now, expires_at__lte=warn_before
    )
    warned = sum(job_expiry_warn(job_id=pk) for pk in to_warn.values_list("pk", flat=True))
    due_jobs = Job.objects.filter(status=Job.Status.OPEN, expires_at__lte=now).values_list("pk", flat=True)
    expired_jobs = sum(job_expire(job_id=pk) is not None for pk in due_jobs)
    due_offers = Offer.objects.filter(status=Offer.Status.SENT, expires_at__lte=now).values_list(
        "pk", flat=True
    )
    expired_offers = sum(offer_expire(offer_id=pk) is not None for pk in due_offers)
    return {"warned": warned, "expired_jobs": expired_jobs, "expired_offers": expired_offers}
