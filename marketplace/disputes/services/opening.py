"""Opening a dispute (the money frozen at once) and the opener withdrawing it (unfrozen: the
milestone goes on where it was; a cancellation's refund follows at its time)."""

from django.db import transaction
from django.utils import timezone

from escrow.locks import lock_hold
from escrow.services.holds import hold_freeze, hold_unfreeze
from marketplace.contracts.locks import milestone_under_hold
from marketplace.contracts.models import Milestone
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import InvalidInput, PermissionDenied
from marketplace.core.money import Money

from .. import deadlines, events
from ..locks import dispute_under_hold
from ..models import Dispute
from ..permissions import contract_side, opening_terms, refuse_outsider, require_side
from .common import (
    dispute_end,
    evidence_create,
    files_checked,
    held_minor,
    minor_of,
    require_active,
    require_no_open_chargeback,
    text,
)

# What a party may give as the reason (a chargeback is the processor's).
PARTY_REASONS = {choice for choice in Dispute.Reason.values if choice != Dispute.Reason.CHARGEBACK}


@transaction.atomic
def dispute_open(
    *, acting_user, milestone: Milestone, reason: str, description: str, amount: Money, files=()
) -> Dispute:
    """Open a dispute on the milestone's money and freeze its hold, in one transaction under the
    hold's lock (the state is read under it: an approval or a sweep that got there first has moved
    the milestone, and the opening is refused by what it left)."""
    contract = milestone.contract
    if contract_side(acting_user, contract) is None:
        refuse_outsider(acting_user, contract, "milestone_not_found")
    if reason not in PARTY_REASONS:
        raise InvalidInput("Choose a reason.", code="reason_invalid", fields={"reason": ["Choose one."]})
    description = text(description, "description", least=10, what="Say what the dispute is about")
    currency = contract.currency
    amount_minor = minor_of(amount, currency, "amount")
    checked = files_checked(files)
    current = milestone_under_hold(milestone, active=False)
    hold = lock_hold(current.hold_id) if current.hold_id else None
    kind, side = opening_terms(acting_user, current, hold_status=hold.status if hold else "")
    held = held_minor(hold)
    if amount_minor > held:
        raise InvalidInput(
            f"Only {Money(held, currency)} is held for this milestone.",
            code="amount_exceeds_held",
            fields={"amount": [f"At most {Money(held, currency)}."]},
        )
    hold_freeze(hold=hold, acting_user=acting_user, reason=f"Dispute opened: {current.title}"[:255])
    now = timezone.now()
    dispute = Dispute.objects.create(
        kind=kind,
        contract=current.contract,
        milestone=current,
        hold=hold,
        opened_by=acting_user,
        opened_by_side=side,
        reason=reason,
        description=description,
        amount_minor=amount_minor,
        currency=currency,
        respond_by=deadlines.respond_by(now),
    )
    if checked:
        evidence_create(dispute=dispute, user=acting_user, side=side, statement="", checked=checked)
    audit_record(
        actor=acting_user,
        action="disputes.open",
        target=dispute,
        summary=f"Dispute on {current} for {Money(amount_minor, currency)}",
        kind=kind,
        side=side,
        hold_id=hold.pk,
        amount_minor=amount_minor,
    )
    events.send_on_commit(events.dispute_opened, Dispute, dispute=dispute)
    return dispute


@transaction.atomic
def dispute_withdraw(*, acting_user, dispute: Dispute, reason: str) -> Dispute:
    side = require_side(acting_user, dispute)
    if side != dispute.opened_by_side:
        raise PermissionDenied("Only the side that opened a dispute can withdraw it.", code="not_the_opener")
    reason = text(reason, "reason", least=5, what="Say why the dispute is withdrawn")
    current = require_active(dispute_under_hold(dispute))
    require_no_open_chargeback(current)
    hold_unfreeze(hold=current.hold, acting_user=acting_user, reason=f"Dispute {current.pk} withdrawn")
    ended = dispute_end(current, Dispute.Status.WITHDRAWN, actor=acting_user, note=reason)
    audit_record(actor=acting_user, action="disputes.withdraw", target=current, summary=reason, side=side)
    events.step_on_commit(ended, "withdrawn", acting_user)
    dispute.status = ended.status
    return ended
