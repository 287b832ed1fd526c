"""Keeping the indexes right over time: sending everything pending (after a change, and every
minute as the retry after an outage) and reconciling the engine's copies with our rows (the drift
no receiver saw: ``QuerySet.update()``, raw SQL, a lost send)."""

import logging
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone

from ..backends import SearchUnavailable, get_search_backend
from ..indexes import all_indexes, index_named
from ..models import PendingIndexUpdate, ReconcileRun
from .indexing import SEND_BATCH, index_changed, index_send

logger = logging.getLogger(__name__)

RECONCILE_BATCH = 1000
RECONCILE_RUNS_KEPT = 48


def pending_send(*, index: str) -> int:
    """Send the pending objects of ``index`` batch after batch until a batch comes back short
    (those left were recorded again during the send, and a send of their own follows their commit).
    Answers how many were sent; raises ``SearchUnavailable`` (the rows keep their attempts and
    error) when the engine fails."""
    sent = 0
    while True:
        batch = index_send(index=index, limit=SEND_BATCH)
        sent += batch
        if batch < SEND_BATCH:
            return sent


def pending_sweep() -> dict[str, int | str]:
    """Every index with pending objects: send them. An index whose engine fails answers its error
    instead of a count; the rows wait for the next sweep."""
    done: dict[str, int | str] = {}
    names = PendingIndexUpdate.objects.values_list("index", flat=True).distinct().order_by("index")
    for name in list(names):
        try:
            done[name] = pending_send(index=name)
        except SearchUnavailable as exc:
            logger.warning("search: %s not sent, the engine failed: %s", name, exc)
            done[name] = f"failed: {exc}"
    return done


@dataclass
class Drift:
    indexable: int = 0  # ids that belong in the index
    held: int = 0  # ids the engine holds
    missing: int = 0  # belong, not held
    stale: int = 0  # held at another version than the current document's
    extra: int = 0  # held, but no longer belong


def _batches(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    batch = []
    for object_id in ids:
        batch.append(object_id)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def index_reconcile(*, index: str, batch: int = RECONCILE_BATCH) -> Drift:
    """Compare what the engine holds of ``index`` (ids and versions) with the documents our rows make
    now, in batches, and record every difference as pending (sent after commit). A document written
    while this runs may count as stale once: one extra send, never a lost one."""
    definition = index_named(index)
    held = get_search_backend().versions(definition)
    drift = Drift(held=len(held))
    differing: list[int] = []
    belonging: set[int] = set()
    for ids in _batches(definition.indexable_ids(), batch):
        drift.indexable += len(ids)
        for document in definition.documents(ids):
            belonging.add(document.id)
            version = held.get(document.id)
            if version is None:
                drift.missing += 1
                differing.append(document.id)
            elif version != document.version:
                drift.stale += 1
                differing.append(document.id)
    extra = [object_id for object_id in held if object_id not in belonging]
    drift.extra = len(extra)
    with transaction.atomic():
        for ids in _batches([*differing, *extra], SEND_BATCH):
            index_changed(index=index, ids=ids)
    return drift


def reconcile_all() -> ReconcileRun:
    """Reconcile every index, keep the report (the latest ``RECONCILE_RUNS_KEPT``) and log it."""
    started = timezone.now()
    counts, errors = {}, []
    for definition in all_indexes():
        try:
            counts[definition.name] = asdict(index_reconcile(index=definition.name))
        except SearchUnavailable as exc:
            errors.append(f"{definition.name}: {exc}")
    run = ReconcileRun.objects.create(
        started_at=started, finished_at=timezone.now(), counts=counts, error="\n".join(errors)
    )
    keep = ReconcileRun.objects.values_list("pk", flat=True)[:RECONCILE_RUNS_KEPT]
    ReconcileRun.objects.exclude(pk__in=list(keep)).delete()
    logger.info("search: reconciled %s", counts)
    if errors:
        logger.warning("search: reconcile could not compare %s", "; ".join(errors))
    return run
