"""Support staff's part: assigning a case, internal notes, and the decision — release all, refund
all, or split by amount — moving all that is held through escrow in one transaction, audited
with the decider and the reason."""

from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.core.money import Money

from .. import events
from ..locks import dispute_under_hold
from ..models import Dispute, StaffNote
from ..permissions import is_support, require_support
from .common import dispute_end, held_minor, minor_of, require_active, settle_money, text

Outcome = Dispute.Outcome


@transaction.atomic
def dispute_assign(*, acting_user, dispute: Dispute, assignee: User | None) -> Dispute:
    """Give the case to a support staff member (None: to nobody)."""
    require_support(acting_user)
    if assignee is not None and not is_support(assignee):
        raise InvalidInput(
            "Cases go to support staff only.",
            code="assignee_not_support",
            fields={"assignee": ["Not support staff."]},
        )
    current = require_active(dispute_under_hold(dispute))
    current.assigned_to = assignee
    current.save(update_fields=["assigned_to", "updated_at"])
    audit_record(
        actor=acting_user,
        action="disputes.assign",
        target=current,
        summary=f"Assigned to {assignee.get_full_name() or assignee.email}" if assignee else "Unassigned",
        assignee_id=getattr(assignee, "pk", None),
    )
    events.step_on_commit(current, "assigned", acting_user)
    dispute.assigned_to = assignee
    return current


@transaction.atomic
def staff_note_add(*, acting_user, dispute: Dispute, body: str) -> StaffNote:
    require_support(acting_user)
    body = text(body, "body", what="Write the note")
    note = StaffNote.objects.create(dispute=dispute, author=acting_user, body=body)
    audit_record(
        actor=acting_user, action="disputes.note", target=dispute, summary="Internal note", note_id=note.pk
    )
    return note


def _parts(
    outcome: str, held: int, release: Money | None, refund: Money | None, currency: str
) -> tuple[int, int]:
    if outcome == Outcome.RELEASE_ALL:
        return held, 0
    if outcome == Outcome.REFUND_ALL:
        return 0, held
    release_minor = minor_of(release, currency, "release")
    refund_minor = minor_of(refund, currency, "refund")
    if release_minor + refund_minor != held:
        raise InvalidInput(
            f"A split divides all that is held: the parts must add up to {Money(held, currency)}.",
            code="split_does_not_add_up",
            fields={"refund": [f"Release + refund = {Money(held, currency)}."]},
        )
    return release_minor, refund_minor


@transaction.atomic
def dispute_decide(
    *,
    acting_user,
    dispute: Dispute,
    outcome: str,
    release: Money | None = None,
    refund: Money | None = None,
    reason: str,
) -> Dispute:
    """Decide an escalated dispute. Under the hold's lock, so of two decisions at once the second
    reads the first's result and is refused (409 ``dispute_not_active``): the money moves once."""
    require_support(acting_user)
    if outcome not in Outcome.values:
        raise InvalidInput("Choose an outcome.", code="outcome_invalid", fields={"outcome": ["Choose one."]})
    reason = text(reason, "reason", least=5, what="Give the reason for the decision, for both sides")
    current = require_active(dispute_under_hold(dispute))
    if current.kind == Dispute.Kind.CHARGEBACK:
        raise Conflict("A chargeback is decided by the card's bank.", code="chargeback_case")
    if current.status != Dispute.Status.ESCALATED:
        raise Conflict(
            "The other side still has time to respond; support decides after that.",
            code="dispute_not_escalated",
        )
    held = held_minor(current.hold)
    release_minor, refund_minor = _parts(outcome, held, release, refund, current.currency)
    note = f"Decided by support: {reason}"
    settle_money(
        current, release_minor=release_minor, refund_minor=refund_minor, actor=acting_user, reason=note[:255]
    )
    decided = dispute_end(
        current,
        Dispute.Status.DECIDED,
        actor=acting_user,
        note=reason,
        outcome=outcome,
        released_minor=release_minor,
        refunded_minor=refund_minor,
    )
    audit_record(
        actor=acting_user,
        action="disputes.decide",
        target=decided,
        summary=f"{Outcome(outcome).label}: {reason}",
        outcome=outcome,
        reason=reason,
        released_minor=release_minor,
        refunded_minor=refund_minor,
        hold_id=current.hold_id,
    )
    events.step_on_commit(decided, "decided", acting_user)
    dispute.status = decided.status
    return decided
