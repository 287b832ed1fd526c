"""Organisations' background work. ``organisations.pool_reevaluate``: after a pool's requirement
set or enforcement settings change, every live member is evaluated again and moved as the results
say (services.lifecycle), each under its own row lock."""

from celery import shared_task

from .models import PoolMembership
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
