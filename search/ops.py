"""What ``/ops/`` shows of search: the backend in use, whether its engine answers, the outbox's
backlog (how many, since when, the last error) and the reconciler's latest report."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Min

from .backends import get_search_backend
from .health import check_search
from .models import PendingIndexUpdate, ReconcileRun


@dataclass(frozen=True)
class SearchStatus:
    backend: str  # dotted path of the configured class, what the factory answered in brackets
    ok: bool
    detail: str  # the check's detail, or the error
    pending: int
    oldest_queued_at: datetime | None
    pending_by_index: dict[str, int]
    last_error: str  # of the pending row tried most often (they fail together, in batches)
    last_error_attempts: int
    reconcile: ReconcileRun | None


def search_status() -> SearchStatus:
    """Four queries and one call to the engine."""
    try:
        detail, ok = check_search(), True
    except Exception as exc:  # noqa: BLE001 - any failure is shown, never raised, on the ops page
        detail, ok = f"{type(exc).__name__}: {exc}", False
    configured = settings.SEARCH_BACKENDS["default"]["BACKEND"]
    try:
        backend = f"{configured} ({type(get_search_backend()).__name__})"
    except Exception:  # noqa: BLE001 - the check above has said why
        backend = configured
    totals = PendingIndexUpdate.objects.aggregate(count=Count("pk"), oldest=Min("queued_at"))
    by_index = dict(
        PendingIndexUpdate.objects.values_list("index").annotate(count=Count("pk")).order_by("index")
    )
    failed = (
        PendingIndexUpdate.objects.filter(attempts__gt=0)
        .exclude(last_error="")
        .order_by("-attempts", "-pk")
        .values_list("last_error", "attempts")
        .first()
    )
    return SearchStatus(
        backend=backend,
        ok=ok,
        detail=detail,
        pending=totals["count"],
        oldest_queued_at=totals["oldest"],
        pending_by_index=by_index,
        last_error=failed[0] if failed else "",
        last_error_attempts=failed[1] if failed else 0,
        reconcile=ReconcileRun.objects.first(),
    )
