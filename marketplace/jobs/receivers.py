"""Organisations' events, received after their commit: a pool member suspended or removed loses
the offers still awaiting their answer on that pool's jobs (organisations is below jobs, so it
announces the move and jobs acts on it)."""

import logging
from functools import partial

from marketplace.organisations import events
from marketplace.organisations.models import PoolMembership

from .services.offers import offers_withdraw_for_pool_member

SUSPENDED = "Pool membership suspended"
REMOVED = "Pool membership removed"
logger = logging.getLogger(__name__)


def connect() -> None:
    events.pool_membership_suspended.connect(
        partial(_withdraw_offers, why=SUSPENDED),
        sender=PoolMembership,
        weak=False,
        dispatch_uid="jobs.pool_member_suspended",
    )
    events.pool_membership_removed.connect(
        partial(_withdraw_offers, why=REMOVED),
        sender=PoolMembership,
        weak=False,
        dispatch_uid="jobs.pool_member_removed",
    )


def _withdraw_offers(sender, *, pool_id: int, worker_id: int, why: str, **kwargs) -> None:
    # After the move's commit: a failure is logged (the offers stay; the worker can no longer see
    # the job, and accepting is refused to whom may not be offered it), never raised into the mover.
    try:
        offers_withdraw_for_pool_member(pool_id=pool_id, worker_id=worker_id, reason=why)
    except Exception:
        logger.exception("Withdrawing the offers of pool %s's member %s failed", pool_id, worker_id)
