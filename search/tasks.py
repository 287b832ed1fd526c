"""Background work of search: sending pending index updates, the retry sweep, the reconciler."""

import logging

from celery import shared_task

from .backends import SearchUnavailable
from .services.upkeep import pending_send, pending_sweep, reconcile_all

logger = logging.getLogger(__name__)

SEND_RETRIES = 5


@shared_task(name="search.index_send", bind=True, max_retries=SEND_RETRIES)
def index_send_task(self, index: str) -> int:
    """Send everything pending for ``index`` (queued after every commit that recorded a change).

    An engine that fails is retried with a growing wait (5 s doubling, up to 5 times) on a worker;
    run eagerly (the embedded default, in the writer's request) it is not retried at once, which would
    hold the request: the rows wait for ``search.pending_sweep``. It never raises to the caller."""
    try:
        return pending_send(index=index)
    except SearchUnavailable as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            logger.warning("search: %s updates wait for the sweep, the engine failed: %s", index, exc)
            return 0
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(name="search.pending_sweep")
def pending_sweep_task() -> dict:
    """Send whatever is pending, every index (beat, every minute): the retry after an outage."""
    return pending_sweep()


@shared_task(name="search.reconcile")
def reconcile_task() -> dict:
    """Compare every index with our rows and queue what differs (beat, hourly)."""
    run = reconcile_all()
    return {"counts": run.counts, "error": run.error}
