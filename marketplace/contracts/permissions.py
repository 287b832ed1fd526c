"""Which actions a viewer may take on a milestone: derived once, from the milestone's transition
table and who acts for each side, and read by the milestone page and the API alike.

The services check again when an action is taken; this only says what to offer.
"""

from marketplace.core.exceptions import DomainError
from marketplace.jobs.permissions import require_client_side

from .models import Contract, Milestone

FREELANCER = "freelancer"
Status = Milestone.Status

# action → (the state it moves a milestone to, who may: the freelancer, or a client-side permission)
MILESTONE_ACTIONS: dict[str, tuple[str, str]] = {
    "fund": (Status.FUNDED, "fund_work"),
    "submit": (Status.SUBMITTED, FREELANCER),
    "request_revision": (Status.REVISION_REQUESTED, "manage_jobs"),
    "approve": (Status.APPROVED, "approve_payments"),
}


# The action names, for the API schema's enum.
MILESTONE_ACTION_NAMES = list(MILESTONE_ACTIONS)


def contract_powers(user, contract: Contract) -> frozenset[str]:
    """What ``user`` may do on this contract's side: ``FREELANCER`` and/or the client-side
    permissions of ``MILESTONE_ACTIONS`` that their role grants. A few queries, once per contract."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return frozenset()
    powers = {FREELANCER} if user.pk == contract.freelancer_id else set()
    for _to, who in MILESTONE_ACTIONS.values():
        if who == FREELANCER or who in powers:
            continue
        try:
            require_client_side(
                user, client_id=contract.client_id, organisation=contract.organisation, codename=who
            )
        except DomainError:
            continue
        powers.add(who)
    return frozenset(powers)


def milestone_actions(contract: Contract, milestone: Milestone, powers: frozenset[str]) -> list[str]:
    """The actions (keys of ``MILESTONE_ACTIONS``) these powers may take on the milestone now."""
    if contract.status != Contract.Status.ACTIVE:
        return []
    reachable = Milestone.TRANSITIONS.get(milestone.status, set())
    return [action for action, (to, who) in MILESTONE_ACTIONS.items() if to in reachable and who in powers]
