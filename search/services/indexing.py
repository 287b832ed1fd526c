"""Keeping the indexes in step with our rows, through the ``PendingIndexUpdate`` outbox.

``index_changed`` is what the rest of the code calls (receivers, in the writer's transaction);
``index_send`` is what the tasks call after commit. The engine is only ever called outside a
transaction, and a failure there leaves the rows for the next attempt.
"""

from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from marketplace.core.task_queue import queue_task_on_commit

from ..backends import SearchUnavailable, get_search_backend
from ..indexes import index_named
from ..models import PendingIndexUpdate
from ..public_lists import index_written

SEND_BATCH = 500


def index_changed(*, index: str, ids: Iterable[int]) -> None:
    """Record that these objects of ``index`` may have changed (in the caller's transaction) and
    send them after commit. Recording one again moves its time on, so a send that read the older
    row does not clear it."""
    rows = [PendingIndexUpdate(index=index, object_id=object_id) for object_id in set(ids)]
    if not rows:
        return
    now = timezone.now()
    for row in rows:
        row.queued_at = now
    PendingIndexUpdate.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["index", "object_id"], update_fields=["queued_at"]
    )
    queue_task_on_commit("search.index_send", index)


def index_send(*, index: str, limit: int = SEND_BATCH) -> int:
    """Send up to ``limit`` pending objects of ``index`` to the engine, oldest first: the documents
    of those that belong in it, deletions for the others. Answers how many were sent; raises
    ``SearchUnavailable`` (after noting it on the rows) when the engine failed."""
    started = timezone.now()
    pending = list(
        PendingIndexUpdate.objects.filter(index=index)
        .order_by("queued_at", "pk")
        .values_list("pk", "object_id", "queued_at")[:limit]
    )
    if not pending:
        return 0
    definition = index_named(index)
    ids = [object_id for _, object_id, _ in pending]
    documents = definition.documents(ids)
    present = {document.id for document in documents}
    backend = get_search_backend()
    try:
        if documents:
            backend.index(definition, documents)
        gone = [object_id for object_id in ids if object_id not in present]
        if gone:
            backend.delete(definition, gone)
    except SearchUnavailable as exc:
        PendingIndexUpdate.objects.filter(pk__in=[pk for pk, _, _ in pending]).update(
            attempts=F("attempts") + 1, last_error=str(exc)[:2000]
        )
        raise
    # Rows recorded again since they were read carry a later time and stay for the next send.
    PendingIndexUpdate.objects.filter(pk__in=[pk for pk, _, _ in pending], queued_at__lte=started).delete()
    index_written(index)
    return len(pending)


def index_rebuild(*, index: str, progress=None, batch: int = 1000) -> int:
    """Build ``index`` anew from every row that belongs in it and swap it in (readers keep the old
    one until then); answers how many documents it holds. ``progress(n)`` as batches are written."""
    definition = index_named(index)
    ids = list(definition.indexable_ids())

    def documents():
        for start in range(0, len(ids), batch):
            yield from definition.documents(ids[start : start + batch])

    get_search_backend().rebuild(definition, documents(), progress=progress)
    index_written(index)
    return len(ids)
