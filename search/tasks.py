import structlog
from celery import shared_task

from .backends import SearchUnavailable
from .services.alerts import saved_search_alert, saved_searches_alerting

log = structlog.get_logger(__name__)


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
