"""A reconciliation run: the checks in order, the report written as they go, and the explanations
staff gave earlier carried over to the same mismatches.

The run calls the processor outside any database transaction (its findings are saved a batch at a
time as it goes). A check the processor does not answer leaves the run ``incomplete`` with the
reason; the other checks still run.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from marketplace.core.exceptions import Conflict

from ... import gateway
from ...models import ReconciliationFinding, ReconciliationRun
from ...selectors import ledger_balances_off
from .disputes import compare_disputes
from .fees import compare_fees
from .processor import SIDES, compare
from .report import Report

logger = logging.getLogger(__name__)
Kind = ReconciliationFinding.Kind
# A run still "running" this long after it started was stopped (its worker died): the next start
# closes it as incomplete rather than waiting for it forever.
STALE_AFTER = timedelta(hours=2)


def reconciliation_start(*, trigger: str, started_by=None) -> ReconciliationRun:
    """A new running run over the window that ends ``RECONCILIATION_GRACE_SECONDS`` ago (money still
    moving is left to the next run) and reaches ``RECONCILIATION_WINDOW_DAYS`` back. 409
    ``reconciliation_running`` while another one runs."""
    now = timezone.now()
    end = now - timedelta(seconds=settings.RECONCILIATION_GRACE_SECONDS)
    with transaction.atomic():
        ReconciliationRun.objects.filter(
            status=ReconciliationRun.Status.RUNNING, started_at__lt=now - STALE_AFTER
        ).update(
            status=ReconciliationRun.Status.INCOMPLETE,
            finished_at=now,
            error="It stopped before it finished (its worker was stopped).",
        )
        try:
            with transaction.atomic():
                return ReconciliationRun.objects.create(
                    trigger=trigger,
                    started_by=started_by,
                    window_start=end - timedelta(days=settings.RECONCILIATION_WINDOW_DAYS),
                    window_end=end,
                )
        except IntegrityError:
            raise Conflict(
                "A reconciliation is running already: its report appears when it finishes.",
                code="reconciliation_running",
            ) from None


def _stored_balances(report: Report) -> None:
    for key, stored, summed in ledger_balances_off():
        logger.error("Ledger account %s stores %s but its entries add up to %s", key, stored, summed)
        report.add(
            Kind.STORED_BALANCE_OFF,
            f"Ledger account {key} stores {stored} but its entries add up to {summed} (minor units).",
            ledger_ref=f"ledger account {key}",
            ledger_amount_minor=stored,
        )


def _carry_explanations(run: ReconciliationRun) -> None:
    """A finding an earlier run met and staff explained (the same fingerprint) is explained here too."""
    earlier = (
        ReconciliationFinding.objects.filter(fingerprint=OuterRef("fingerprint"), explained_at__isnull=False)
        .exclude(run=run)
        .order_by("-explained_at")
    )
    run.findings.filter(Exists(earlier)).update(
        explained_at=Subquery(earlier.values("explained_at")[:1]),
        explained_by=Subquery(earlier.values("explained_by")[:1]),
        explanation=Subquery(earlier.values("explanation")[:1]),
    )


def _finish(run: ReconciliationRun, compared: dict, errors: list[str]) -> None:
    run.status = ReconciliationRun.Status.INCOMPLETE if errors else ReconciliationRun.Status.DONE
    run.error = "\n".join(errors)
    run.compared = compared
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "compared", "finished_at"])


def _checks():
    """Each processor check: the object it lists, its label in errors, and the comparison."""
    for side in SIDES:
        yield side.kind, side.label, functools.partial(compare, side=side)
    yield "balance_transaction", "fee", compare_fees
    yield "dispute", "dispute", compare_disputes


def reconciliation_execute(run: ReconciliationRun) -> ReconciliationRun:
    """Run every check into ``run`` and finish it; the run afterwards. Anything unexpected still
    finishes the run (incomplete, saying so) before it is raised."""
    report = Report(run)
    compared, errors = {}, []
    try:
        _stored_balances(report)
        for kind, label, check in _checks():
            try:
                compared[kind] = check(report, start=run.window_start, end=run.window_end)
            except gateway.GatewayError as error:
                logger.warning("reconciliation of %ss failed", label, exc_info=True)
                errors.append(f"Stripe's {label}s could not be compared: {error.message}")
        report.flush()
        _carry_explanations(run)
    except Exception as error:
        _finish(run, compared, [*errors, f"The run failed: {type(error).__name__} (see the log)."])
        raise
    _finish(run, compared, errors)
    return run
