"""Relays the membership moves other apps act on as organisations' own events: a suspension or a
removal, however it was made (``services.lifecycle.membership_move``, ``services.pools``' end, a
manager's hand), arrives as ``status_changed`` after commit and leaves as
``events.pool_membership_suspended`` / ``pool_membership_removed`` (jobs withdraws the worker's open
offers on the pool's jobs)."""

from marketplace.core.transitions import status_changed

from . import events
from .models import PoolMembership

Status = PoolMembership.Status
RELAYED = {Status.SUSPENDED: events.pool_membership_suspended, Status.ENDED: events.pool_membership_removed}


def connect() -> None:
    status_changed.connect(_membership_moved, sender=PoolMembership, dispatch_uid="organisations.relay_moves")


def _membership_moved(sender, *, instance_id: int, to_status: str, reason: str = "", **kwargs) -> None:
    signal = RELAYED.get(to_status)
    if signal is None:
        return
    row = PoolMembership.objects.filter(pk=instance_id).values("pool_id", "freelancer_id").first()
    if row is None or row["freelancer_id"] is None:
        return
    signal.send(
        sender=PoolMembership,
        membership_id=instance_id,
        pool_id=row["pool_id"],
        worker_id=row["freelancer_id"],
        reason=reason,
    )
