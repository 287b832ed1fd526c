"""Who may act on a contract and its milestones, and which milestone actions a viewer may take:
derived once, from the milestone's transition table and who acts for each side, and read by the
milestone page and the API alike.

The ``require_*`` checks are the services' (they refuse with 403 when an action is taken); the API
asks the same ones before it reads a request's body, so that who may not act hears 403, not 400.
"""

from marketplace.core.exceptions import DomainError, PermissionDenied
from marketplace.jobs.permissions import is_client_side, require_client_side, require_freelancer

from .models import Contract, Milestone

FREELANCER = "freelancer"
CLIENT = "client"
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


def require_contract_client(user, contract: Contract, codename: str) -> None:
    """Refuse unless ``user`` acts for the contract's client side with ``codename``: 403
    ``not_job_owner``, ``not_a_member`` or ``role_forbids``."""
    require_client_side(
        user, client_id=contract.client_id, organisation=contract.organisation, codename=codename
    )


def contract_party_side(user, contract: Contract, client_codename: str) -> str | None:
    """ "freelancer" (the contract's freelancer), "client" (the client side with ``client_codename``)
    or None, for an anonymous or suspended user and everyone else. Disputes and reviews ask it, each
    with the permission its client side acts with."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return None
    if user.pk == contract.freelancer_id:
        return FREELANCER
    try:
        require_contract_client(user, contract, client_codename)
    except DomainError:
        return None
    return CLIENT


def require_milestone_action(user, contract: Contract, action: str) -> None:
    """Refuse unless ``user`` is on the side that takes ``action`` (a key of ``MILESTONE_ACTIONS``):
    the contract's freelancer (403 ``not_the_freelancer``), or the client side with the action's
    permission. Whether the milestone's state allows it is the service's (409)."""
    _to, who = MILESTONE_ACTIONS[action]
    if who == FREELANCER:
        require_freelancer(user, contract.freelancer_id, message=f"Only the freelancer can {action} work.")
    else:
        require_contract_client(user, contract, who)


def require_contract_cancel(user, contract: Contract) -> None:
    """Either party may cancel: the freelancer, or the client side with ``manage_jobs`` (403
    ``role_forbids`` for its other roles); anyone else 403 ``not_a_party``."""
    if user.pk == contract.freelancer_id and not user.is_suspended:
        return
    if is_client_side(user, contract):
        require_contract_client(user, contract, "manage_jobs")
        return
    raise PermissionDenied("Only the parties to a contract can cancel it.", code="not_a_party")


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
    reachable = Milestone.STEP_TRANSITIONS.get(milestone.status, set())
    return [action for action, (to, who) in MILESTONE_ACTIONS.items() if to in reachable and who in powers]
