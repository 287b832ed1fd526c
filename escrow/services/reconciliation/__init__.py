"""The reconciliation: the ledger compared with the processor, written as a report staff read on
/ops/ (``run`` does the work, ``processor`` the comparisons, ``report`` the findings' words).

``reconciliation_request`` is the staff button; the nightly task (``escrow.ledger_reconcile``)
starts and runs one itself."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.task_queue import queue_task_on_commit

from ...models import ReconciliationFinding, ReconciliationRun
from .run import reconciliation_execute, reconciliation_start

__all__ = ["finding_explain", "reconciliation_execute", "reconciliation_request", "reconciliation_start"]


def _staff_only(user, what: str) -> None:
    if not getattr(user, "is_staff", False):
        raise PermissionDenied(f"Only platform staff can {what}.", code="staff_only")


@transaction.atomic
def reconciliation_request(*, acting_user) -> ReconciliationRun:
    """Start a reconciliation now (staff): the run is made at once and the task fills it in."""
    _staff_only(acting_user, "run the reconciliation")
    run = reconciliation_start(trigger=ReconciliationRun.Trigger.STAFF, started_by=acting_user)
    audit_record(
        actor=acting_user, action="reconciliation.request", target=run, summary="Started a reconciliation"
    )
    queue_task_on_commit("escrow.ledger_reconcile", run_id=run.pk)
    return run


@transaction.atomic
def finding_explain(*, acting_user, finding_id: int, note: str) -> ReconciliationFinding:
    """Mark a finding explained with staff's note (required); a later run meeting the same mismatch
    takes the explanation over. 409 ``already_explained`` the second time."""
    _staff_only(acting_user, "explain a reconciliation finding")
    finding = ReconciliationFinding.objects.filter(pk=finding_id).first()
    if finding is None:
        raise NotFound("No such finding.", code="finding_not_found")
    note = (note or "").strip()
    if not note:
        raise InvalidInput("Say what explains it.", code="note_required", fields={"note": "required"})
    explained = ReconciliationFinding.objects.filter(pk=finding.pk, explained_at__isnull=True).update(
        explained_at=timezone.now(), explained_by=acting_user, explanation=note
    )
    if not explained:
        raise Conflict("This finding is explained already.", code="already_explained")
    audit_record(
        actor=acting_user,
        action="reconciliation.finding_explained",
        target=finding,
        summary=f"Explained a reconciliation finding: {finding.get_kind_display()}",
        kind=finding.kind,
        note=note,
    )
    finding.refresh_from_db()
    return finding
