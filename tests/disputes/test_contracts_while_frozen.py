"""While a dispute freezes a milestone's money, contracts leave it alone: no approval, no request for
changes, no refund, no cancelling the contract, and the sweeps do not even pick the milestone up.
The moves a dispute's end makes are not the people's actions."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.contracts import services as contracts
from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.permissions import contract_powers, milestone_actions
from marketplace.core.exceptions import Conflict
from marketplace.disputes import services
from tests.disputes.world import funded_contract, open_dispute

pytestmark = pytest.mark.django_db


def _refused(code, call):
    with pytest.raises(Conflict) as refused:
        call()
    assert refused.value.code == code, refused.value
    return refused.value


def test_approval_changes_and_cancelling_are_refused_while_frozen():
    contract = funded_contract(60_000, submitted=True)
    milestone = contract.milestones.get()
    open_dispute(milestone)
    refused = _refused(
        "dispute_open", lambda: contracts.milestone_approve(acting_user=contract.client, milestone=milestone)
    )
    assert "dispute" in refused.message
    _refused(
        "dispute_open",
        lambda: contracts.milestone_request_revision(
            acting_user=contract.client, milestone=milestone, message="Please change the colours."
        ),
    )
    refused = _refused(
        "dispute_open",
        lambda: contracts.contract_cancel(
            acting_user=contract.client,
            contract=contract,
            reason="Enough of this.",
            cancel_reason="plans_changed",
        ),
    )
    assert "dispute" in refused.message
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.SUBMITTED


def test_the_sweeps_skip_frozen_milestones_in_their_query(django_assert_num_queries):
    contract = funded_contract(60_000, 40_000, submitted=True)
    first, second = contract.milestones.order_by("position")
    dispute = open_dispute(first)
    contracts.milestone_approve(acting_user=contract.client, milestone=second)
    later = timezone.now() + timedelta(days=30)
    with django_assert_num_queries(2):  # the two selections, and nothing locked or tried
        assert contracts.milestones_due(now=later) == {"approved": 0, "refunded": 0}
    services.dispute_withdraw(acting_user=contract.client, dispute=dispute, reason="Sorted out.")
    assert contracts.milestones_due(now=later) == {"approved": 1, "refunded": 0}


def test_the_refund_of_a_frozen_cancelled_milestone_is_refused():
    contract = funded_contract(60_000)
    milestone = contract.milestones.get()
    contracts.contract_cancel(
        acting_user=contract.freelancer,
        contract=contract,
        reason="Cannot do it now.",
        cancel_reason="plans_changed",
    )
    open_dispute(milestone, by=contract.freelancer, reason="cancellation")
    _refused("dispute_open", lambda: contracts.milestone_refund(milestone=milestone))


def test_a_funded_milestone_is_approved_only_once_submitted():
    """The dispute moves (funded → approved) are not actions: no approve button, and the service
    refuses it."""
    contract = funded_contract(60_000)
    milestone = contract.milestones.get()
    powers = contract_powers(contract.client, contract)
    assert milestone_actions(contract, milestone, powers) == []
    _refused(
        "illegal_transition",
        lambda: contracts.milestone_approve(acting_user=contract.client, milestone=milestone),
    )
