"""Ending contracts: completed by the client, or cancelled by either party with a reason.

The money rules for cancelling (refunds of funded milestones, the dispute window) arrive with
escrow; until then a contract holds no money and ends at once."""

from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import InvalidInput, PermissionDenied
from marketplace.core.transitions import transition

from ..models import Contract
from ..permissions import is_client_side, require_client_side


@transaction.atomic
def contract_complete(*, acting_user: User, contract: Contract, note: str = "") -> Contract:
    require_client_side(
        acting_user, client_id=contract.client_id, organisation=contract.organisation, codename="manage_jobs"
    )
    note = (note or "").strip()[:2000]
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
def contract_cancel(*, acting_user: User, contract: Contract, reason: str) -> Contract:
    reason = (reason or "").strip()
    if acting_user.pk == contract.freelancer_id and not acting_user.is_suspended:
        pass
    elif is_client_side(acting_user, client_id=contract.client_id, organisation_id=contract.organisation_id):
        require_client_side(
            acting_user,
            client_id=contract.client_id,
            organisation=contract.organisation,
            codename="manage_jobs",
        )
    else:
        raise PermissionDenied("Only the parties to a contract can cancel it.", code="not_a_party")
    if not 5 <= len(reason) <= 2000:
        raise InvalidInput(
            "Say why the contract is cancelled (5 to 2,000 characters).",
            code="reason_required",
            fields={"reason": ["Required."]},
        )
    return transition(
        contract,
        Contract.Status.CANCELLED,
        actor=acting_user,
        reason=reason,
        ended_at=timezone.now(),
        ended_by=acting_user,
        end_reason=reason,
    )
