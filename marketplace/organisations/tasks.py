"""Organisations' background work: ``organisations.pool_reevaluate`` after a pool's requirement set
or enforcement settings change (every live member evaluated again and moved as the results say,
each under its own row lock), and the daily expiry sweep (beat)."""

from celery import shared_task

from .models import PoolMembership
from .services.expiry import expiry_sweep as sweep
from .services.lifecycle import membership_reevaluate


@shared_task(name="organisations.pool_reevaluate")
def pool_reevaluate(pool_id: int) -> dict[str, int]:
    """Re-evaluate the pool's live members; returns how many were evaluated and how many moved."""
    rows = list(
        PoolMembership.objects.filter(
            pool_id=pool_id, status__in=PoolMembership.LIVE, freelancer__isnull=False
        ).values_list("pk", "status")
    )
    moved = 0
    for membership_id, status in rows:
        if membership_reevaluate(membership_id).status != status:
            moved += 1
    return {"evaluated": len(rows), "moved": moved}


@shared_task(name="organisations.expiry_sweep")
def expiry_sweep() -> dict[str, int]:
    """Expire overrides, apply lapsed credentials' expiry action, send due reminders (idempotent)."""
    return sweep()
