from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingIndexUpdate(models.Model):
    """An object whose index copy may be stale: the outbox between our writes and the search engine.

    A write that changes what an index holds records its (index, object id) here in the writer's
    transaction, and a task sends it after commit; the row is deleted once the engine has the
    object's current document (or its deletion). So an engine that is down fails no write: the rows
    wait, ``/readyz`` and ``/ops/`` show how many and since when, and the retry sweep sends them.
    """

    index = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    queued_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["index", "object_id"], name="search_pending_unique")]
        indexes = [models.Index(fields=["queued_at"])]

    def __str__(self) -> str:
        return f"{self.index}:{self.object_id}"


class ReconcileRun(models.Model):
    """One pass of the reconciler (``search.reconcile``): what it compared and what it found, per
    index, for ``/ops/``. A row rather than a cache entry so the report survives restarts and is the
    same for every process (the worker writes it, the web process shows it); only the latest few are
    kept."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField()
    # {"talent": {"indexable": n, "held": n, "missing": n, "stale": n, "extra": n}, ...}
    counts = models.JSONField(default=dict)
    # Why an index could not be compared (the engine did not answer), in plain words.
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Search reconcile at {self.started_at:%Y-%m-%d %H:%M}"


class SavedSearch(models.Model):
    """A person's job search, kept to run again and, with ``alerts`` on, to hear of new matches.

    ``params``: the search's parameters as the page and the API take them (``search.jobs.params``), checked
    again on every run. Alerts announce jobs opened from ``alerts_since`` (when saved, or when the
    alerts or the parameters last changed: never a backlog). The high-water mark of what was already
    announced: ``announced_until``, the latest ``opened`` time among the jobs announced, and
    ``announced``, the ids (with their opening, in epoch seconds) of the jobs announced that opened
    within ``SAVED_SEARCH_ALERT_LAG_MINUTES`` of the mark. Each run looks back that far, so a job
    that reached the index late is still announced, and the ids keep any job from being announced
    twice.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=80)
    params = models.JSONField(default=dict, blank=True)
    alerts = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    alerts_since = models.DateTimeField(default=timezone.now)
    last_alerted_at = models.DateTimeField(null=True, blank=True)
    announced_until = models.DateTimeField(default=timezone.now)
    announced = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"]), models.Index(fields=["alerts"])]

    def __str__(self) -> str:
        return self.name
