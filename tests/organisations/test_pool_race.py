"""A reviewer's approval and the expiry sweep on the same membership at the same moment (threads at
a barrier, each on its own PostgreSQL connection), in both thread orders.

The member awaits review with every stored result passing, but the insurance lapses today. Either
the approval goes first (active, then the sweep finds the lapsed cover and suspends), or the sweep
does (back to awaiting requirements, and the approval is refused: 409). Never both from the same
starting point: each move in the history starts where the previous one ended.

What makes this hold is the membership's row lock, taken by ``lifecycle.membership_reevaluate``
before it reads the status (the approval takes the same lock). Without it the sweep moves a
membership it read before the approval committed, writing over the approval.
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from marketplace.core.exceptions import Conflict
from marketplace.core.models import StatusChange
from marketplace.organisations.models import PoolMembership, ResultStatus
from marketplace.organisations.services.expiry import expiry_sweep
from marketplace.organisations.services.lifecycle import membership_move, membership_reevaluate
from tests.factories import add_member
from tests.support.concurrently import at_once

from .expiry_support import meets_ne_cabling
from .pools_support import join, ne_cabling

Status = PoolMembership.Status
ROUNDS = 4


def approve(membership_id: int, reviewer) -> PoolMembership:
    """The approval side, as a reviewer's approval makes it: under the membership's lock, on the
    results the reviewer was shown (the stored ones), every rule must pass."""
    with transaction.atomic():
        membership = (
            PoolMembership.objects.select_for_update()
            .select_related("pool__organisation")
            .get(pk=membership_id)
        )
        if membership.status != Status.AWAITING_REVIEW:
            raise Conflict(
                f"This membership is {membership.get_status_display().lower()}; it cannot be approved.",
                code="illegal_transition",
            )
        if membership.results.exclude(status=ResultStatus.PASS).exists():
            raise Conflict("A requirement no longer passes.", code="requirements_not_met")
        return membership_move(membership, Status.ACTIVE, actor=reviewer, reason="Approved")


def awaiting_review_lapsing_today() -> PoolMembership:
    membership = join(ne_cabling())
    meets_ne_cabling(membership, insurance_expires_on=timezone.localdate())
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        assert membership_reevaluate(membership.pk).status == Status.AWAITING_REVIEW
    return membership


def history(membership: PoolMembership) -> list[tuple[str, str]]:
    moves = StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
    return list(moves.order_by("pk").values_list("from_status", "to_status"))


@pytest.mark.parametrize("first", ["reviewer", "sweep"])
def test_an_approval_racing_the_expiry_sweep_has_one_outcome(transactional_db, first):
    winners = []
    for round_ in range(ROUNDS):
        membership = awaiting_review_lapsing_today()
        reviewer = add_member(membership.pool.organisation, "hiring_manager")
        before = len(history(membership))

        def approval(membership=membership, reviewer=reviewer):
            return approve(membership.pk, reviewer)

        calls = [approval, expiry_sweep] if first == "reviewer" else [expiry_sweep, approval]
        outcomes = at_once(*calls)
        approved, swept = outcomes if first == "reviewer" else outcomes[::-1]
        label = f"round {round_}: {outcomes!r}"
        assert isinstance(swept, dict), label
        moves = history(membership)[before:]
        membership.refresh_from_db()
        # One chain of moves from "awaiting review": each starts where the previous one ended.
        assert moves[0][0] == Status.AWAITING_REVIEW, label
        assert all(moves[i][1] == moves[i + 1][0] for i in range(len(moves) - 1)), (label, moves)
        assert moves[-1][1] == membership.status, (label, moves)
        if isinstance(approved, PoolMembership):
            assert moves == [(Status.AWAITING_REVIEW, Status.ACTIVE), (Status.ACTIVE, Status.SUSPENDED)], (
                label
            )
            winners.append("reviewer")
        else:
            assert isinstance(approved, Conflict), label
            assert approved.status == 409, label
            assert moves == [(Status.AWAITING_REVIEW, Status.AWAITING_REQUIREMENTS)], label
            winners.append("sweep")
        assert membership.results.get(requirement__kind="insurance").status == ResultStatus.EXPIRED, label
    assert len(winners) == ROUNDS
