"""Who logs time on an hourly contract and who sees it.

- Logging (entries, the timer) is the contract's freelancer's alone (403 ``not_the_freelancer`` for
  anyone else who can see the contract; who cannot see it hears 404 from the selectors first), and only
  while the contract is active, hourly and not paused (409 ``contract_not_active``, ``not_hourly``,
  ``contract_paused``: a week whose payment failed stops logging until it is paid).
- Seeing the weeks is seeing the contract: ``marketplace.contracts.selectors.contracts_visible_to``
  (its freelancer, its client side in any role, staff), applied by ``hourly.selectors``.
- The client side's actions on a week (pay, approve, dispute) use
  ``marketplace.contracts.permissions.contract_party_side`` with the permission each action needs.
"""

from marketplace.contracts.models import Contract
from marketplace.contracts.permissions import CLIENT, contract_party_side
from marketplace.core.exceptions import Conflict, PermissionDenied
from marketplace.jobs.models import BudgetType

from .selectors import contract_is_paused

# The client side's permission that approves a week (the one that approves a milestone).
APPROVE_WITH = "approve_payments"


def can_approve(user, contract: Contract) -> bool:
    """Whether ``user`` acts for the client side with the permission that approves a week (the page
    shows the button only then; ``services.review.require_week_approver`` refuses the rest)."""
    return contract_party_side(user, contract, APPROVE_WITH) == CLIENT


def require_logger(user, contract: Contract) -> None:
    """403 ``not_the_freelancer`` unless ``user`` is the contract's (not suspended) freelancer."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended or user.pk != contract.freelancer_id:
        raise PermissionDenied("Only the contract's freelancer logs time on it.", code="not_the_freelancer")


def require_loggable(contract: Contract) -> None:
    """409 unless time may be logged on the contract now: hourly, active, not paused."""
    if contract.budget_type != BudgetType.HOURLY:
        raise Conflict("Time is logged on hourly contracts only.", code="not_hourly")
    if contract.status != Contract.Status.ACTIVE:
        raise Conflict(
            "This contract has ended; no more time can be logged on it.", code="contract_not_active"
        )
    if contract_is_paused(contract):
        raise Conflict(
            "This contract is paused: a week's payment failed. Time can be logged again once the client "
            "has paid that week.",
            code="contract_paused",
        )


def can_log(user, contract: Contract) -> bool:
    """Whether the page offers the log form and the timer to ``user``."""
    try:
        require_logger(user, contract)
        require_loggable(contract)
    except (PermissionDenied, Conflict):
        return False
    return True
