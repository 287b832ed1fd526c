"""Saved-search alerts: each saved search with alerts on is run as its owner (their audience, their
visibility selector: a job they may not see is never announced), and the jobs opened since its
high-water mark are announced once, through ``events.saved_search_matched`` after commit (messaging
makes the in-app notification and the digest email of it).

The engine is asked outside any transaction; the saved search is then locked and its mark read again,
so two runs at once announce each job once. A search whose stored parameters no longer pass (a skill
removed from the taxonomy) announces nothing and is logged.
"""

from datetime import UTC, datetime, timedelta

import structlog
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..events import saved_search_matched, send_on_commit
from ..jobs.params import form_of
from ..jobs.results import for_alerts, search_jobs
from ..models import SavedSearch

log = structlog.get_logger(__name__)

# The newest this many new matches are announced per run (a notification names a few; the link
# shows them all).
ALERT_BATCH = 50


def saved_searches_alerting() -> list[int]:
    """The saved searches to run: alerts on, the owner's account active."""
    alerting = SavedSearch.objects.filter(alerts=True, user__is_active=True).order_by("pk")
    return list(alerting.values_list("pk", flat=True))


def _lag() -> timedelta:
    return timedelta(minutes=settings.SAVED_SEARCH_ALERT_LAG_MINUTES)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def saved_search_alert(*, saved_search_id: int) -> list[int]:
    """Run one saved search's alert: answers the ids of the jobs it announced (newest first)."""
    saved = SavedSearch.objects.select_related("user").filter(pk=saved_search_id).first()
    if saved is None or not saved.alerts or not saved.user.is_active:
        return []
    form = form_of(saved.params)
    if not form.is_valid():
        log.warning("search.saved_search_invalid", saved_search=saved.pk, errors=form.errors.get_json_data())
        return []
    since = max(saved.announced_until - _lag(), saved.alerts_since)
    search = for_alerts(form.search(), opened_since=since)
    found = search_jobs(viewer=saved.user, search=search, limit=ALERT_BATCH, facets=(), highlight=False)
    opened = {job.pk: _epoch(job.opened_at) for job in found.rows if job.opened_at is not None}
    with transaction.atomic():
        locked = SavedSearch.objects.select_for_update().filter(pk=saved.pk, alerts=True).first()
        if locked is None or locked.alerts_since != saved.alerts_since:
            return []  # deleted, turned off or changed meanwhile: this run's answer is for the old search
        announced = {int(pk): at for pk, at in locked.announced.items()}
        new = [pk for pk in opened if pk not in announced and opened[pk] >= _epoch(since)]
        if not new:
            return []
        announced.update({pk: opened[pk] for pk in new})
        mark = max(_epoch(locked.announced_until), *(opened[pk] for pk in new))
        keep_from = mark - int(_lag().total_seconds())
        locked.announced = {str(pk): at for pk, at in announced.items() if at >= keep_from}
        locked.announced_until = datetime.fromtimestamp(mark, tz=UTC)
        locked.last_alerted_at = timezone.now()
        locked.save(update_fields=["announced", "announced_until", "last_alerted_at"])
        send_on_commit(saved_search_matched, SavedSearch, user=saved.user, saved_search=locked, job_ids=new)
    return new
