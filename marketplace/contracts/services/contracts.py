"""Ending contracts: completed by the client, or cancelled by either party with a reason (one of
``Contract.CancelReason``, and their own words).

Neither while a submission waits for the client's answer. Completing follows ``completion.py``:
refused while a milestone holds money (funded, submitted, changes requested), and it closes the
unfunded ones. Cancelling refunds funded, unsubmitted milestones once the freelancer's dispute window
(``CANCEL_REFUND_AFTER_DAYS``) has passed, and cancels the unfunded ones at once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.core.transitions import transition

from ..completion import completion_of, completion_refused
from ..locks import lock_contract_milestones
from ..models import Contract, Milestone
from ..permissions import require_contract_cancel, require_contract_client


@transaction.atomic
def contract_complete(*, acting_user: User, contract: Contract, note: str = "") -> Contract:
    require_contract_client(acting_user, contract, "manage_jobs")
    note = (note or "").strip()[:2000]
    milestones = lock_contract_milestones(contract)
    completion = completion_of(milestones)
    if completion.held:
        raise completion_refused(completion.held)
    _cancel_unfunded(completion.closed, acting_user)
    return transition(
        contract,
        Contract.Status.COMPLETED,
        actor=acting_user,
        reason=note or "Completed",
        ended_at=timezone.now(),
        ended_by=acting_user,
        end_reason=note,
    )


@transaction.atomic
def contract_cancel(*, acting_user: User, contract: Contract, reason: str, cancel_reason: str) -> Contract:
    """End an active contract early. ``cancel_reason`` (one of ``Contract.CancelReason``) is kept with
    it: the client's "not delivered" after funding counts against the freelancer's job success score.
    ``reason`` is the canceller's own words, which the other party reads."""
    reason = (reason or "").strip()
    require_contract_cancel(acting_user, contract)
    reason_given = 5 <= len(reason) <= 2000
    if cancel_reason not in Contract.CancelReason.values:
        fields = {"cancel_reason": ["Choose one of the reasons."]}
        if not reason_given:
            fields["reason"] = ["Required."]
        raise InvalidInput("Choose why the contract is cancelled.", code="invalid_input", fields=fields)
    if not reason_given:
        raise InvalidInput(
            "Say why the contract is cancelled (5 to 2,000 characters).",
            code="reason_required",
            fields={"reason": ["Required."]},
        )
    milestones = _lock_milestones(contract)
    refund_due_at = timezone.now() + timedelta(days=settings.CANCEL_REFUND_AFTER_DAYS)
    for milestone in milestones:
        if milestone.status in Milestone.REFUNDABLE:
            milestone.refund_due_at = refund_due_at
            milestone.save(update_fields=["refund_due_at"])
    _cancel_unfunded(milestones, acting_user)
    return transition(
        contract,
        Contract.Status.CANCELLED,
        actor=acting_user,
        reason=reason,
        ended_at=timezone.now(),
        ended_by=acting_user,
        end_reason=reason,
        cancel_reason=cancel_reason,
    )


def _lock_milestones(contract: Contract) -> list[Milestone]:
    """The contract's milestones (their holds first), locked; refused while a submission waits for an
    answer."""
    milestones = lock_contract_milestones(contract)
    if any(m.status == Milestone.Status.SUBMITTED for m in milestones):
        raise Conflict(
            "A milestone's work waits for the client's answer: approve it or ask for changes first.",
            code="milestone_submitted",
        )
    return milestones


def _cancel_unfunded(milestones: list[Milestone], actor: User) -> None:
    for milestone in milestones:
        if milestone.status == Milestone.Status.PENDING:
            transition(milestone, Milestone.Status.CANCELLED, actor=actor, reason="The contract ended")
