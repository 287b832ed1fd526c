"""Background work of search: sending pending index updates, the retry sweep, the reconciler, and
saved searches' alerts."""

import structlog
from celery import shared_task

from .backends import SearchUnavailable
from .services.alerts import saved_search_alert, saved_searches_alerting
from .services.upkeep import pending_send, pending_sweep, reconcile_all

log = structlog.get_logger(__name__)

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
            log.warning("search.updates_wait_for_sweep", index=index, error=str(exc))
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


@shared_task(name="search.saved_search_alerts")
def saved_search_alerts() -> dict[str, int]:
    """Run every saved search with alerts on (the beat, hourly by default). Idempotent: each job is
    announced once per saved search. An engine that is down ends the run; nothing is lost, as the
    high-water marks only move past what was announced, so the next run catches up."""
    searches = announced = 0
    for saved_search_id in saved_searches_alerting():
        try:
            announced += len(saved_search_alert(saved_search_id=saved_search_id))
        except SearchUnavailable:
            log.warning("search.saved_search_alerts_unavailable", done=searches)
            break
        searches += 1
    return {"searches": searches, "announced": announced}
