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
