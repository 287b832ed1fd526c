"""Who acts in a dispute, and on which side: the one home of the rule (services check it, the
selectors and pages read it).

The freelancer side is the contract's freelancer. The client side is who acts on the contract's
money: the client, or for an organisation's contract its members whose role grants
``approve_payments`` (the same permission that approves a milestone's release). Other members see
the dispute (as they see the contract) but do not act in it. Support staff (``User.is_support``)
are on neither side: they assign, note and decide.
"""

from django.utils import timezone

from escrow.models import Hold
from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.permissions import contract_party_side
from marketplace.core.exceptions import Conflict, NotFound, PermissionDenied
from marketplace.jobs.permissions import is_client_side

from .models import Dispute

CLIENT, FREELANCER = Dispute.Side.CLIENT, Dispute.Side.FREELANCER
CLIENT_ACTS_WITH = "approve_payments"


def is_support(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_support and not user.is_suspended)


def contract_side(user, contract: Contract) -> str | None:
    """The side ``user`` acts for on this contract's money, or None."""
    return contract_party_side(user, contract, CLIENT_ACTS_WITH)


def dispute_side(user, dispute: Dispute) -> str | None:
    return contract_side(user, dispute.contract)


def other_side(side: str) -> str:
    return CLIENT if side == FREELANCER else FREELANCER


def refuse_outsider(user, contract: Contract, not_found: str) -> None:
    """No side: a suspended account or an organisation member whose role does not act on money
    is told why (403); anyone else does not learn the dispute exists (404)."""
    if getattr(user, "is_authenticated", False) and user.is_suspended:
        raise PermissionDenied("Your account is suspended.", code="account_suspended")
    if user.pk == contract.freelancer_id or is_client_side(user, contract):
        raise PermissionDenied(
            "Your role in this organisation does not act on its payments.", code="role_forbids"
        )
    noun = {"dispute_not_found": "dispute", "timesheet_not_found": "timesheet"}.get(not_found, "milestone")
    raise NotFound(f"No such {noun}.", code=not_found)


def require_side(user, dispute: Dispute, side: str | None = None) -> str:
    """The side ``user`` acts for in ``dispute`` (``side`` given: that one, else 403 ``wrong_side``)."""
    found = dispute_side(user, dispute)
    if found is None:
        refuse_outsider(user, dispute.contract, "dispute_not_found")
    if side is not None and found != side:
        raise PermissionDenied("The other side of this dispute does that.", code="wrong_side")
    return found


def require_support(user) -> None:
    if not is_support(user):
        raise PermissionDenied("Only support staff can do that.", code="not_support")


def opening_terms(user, milestone: Milestone, *, hold_status: str, now=None) -> tuple[str, str]:
    """(kind, side) of the dispute ``user`` may open on ``milestone`` now, or the ``DomainError``
    that says why not. ``milestone`` with its contract, read as it stands (the service reads both
    under the hold's lock); ``hold_status`` the hold's."""
    contract = milestone.contract
    side = contract_side(user, contract)
    if side is None:
        refuse_outsider(user, contract, "milestone_not_found")
    now = now or timezone.now()
    if milestone.hold_id is None or milestone.status not in Milestone.DISPUTED:
        raise Conflict(
            "Only money held for a milestone (funded, submitted or sent back for changes) can be "
            f"disputed; this milestone is {milestone.get_status_display().lower()}.",
            code="milestone_not_disputable",
        )
    if hold_status == Hold.Status.FROZEN:
        raise Conflict("A dispute about this money is open already.", code="dispute_open_already")
    if contract.status == Contract.Status.ACTIVE:
        return Dispute.Kind.MILESTONE, side
    if contract.status == Contract.Status.CANCELLED and milestone.refund_due_at is not None:
        if side != FREELANCER:
            raise PermissionDenied(
                "The refund after a cancellation goes to the client; only the freelancer disputes it.",
                code="wrong_side",
            )
        if milestone.refund_due_at <= now:
            raise Conflict("The window to dispute this refund has closed.", code="dispute_window_closed")
        return Dispute.Kind.CANCELLATION, side
    raise Conflict("This contract has ended.", code="contract_not_active")
