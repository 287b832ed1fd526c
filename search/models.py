from django.db import models


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
