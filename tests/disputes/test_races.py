"""Races on one disputed milestone (threads at a barrier, each on its own PostgreSQL connection):
the money moves once, as the winner moved it, and the loser is told the real reason (what the winner
left, read under the hold's lock).

(a) Support's decision and the client's approval of the same milestone. The decision unfreezes the
    hold and refunds it in one transaction under the hold's lock; the approval queues at that lock and
    finds the money frozen (409 ``dispute_open``) or refunded (409 ``illegal_transition``), never a
    moment between the two in which it could release it.
(b) A dispute opening and the automatic-approval sweep. Both take the hold first: the opening freezes
    the money (the sweep then skips it, or is refused by the frozen hold), or the sweep approves first
    and the opening, reading the milestone under the lock, is refused with 409
    ``milestone_not_disputable`` — not by escrow's money check after acting on a stale read.
(c) Two support decisions at once: one decides; the other reads the dispute under the hold's lock
    after the first committed and is refused with 409 ``dispute_not_active``.
Each race runs several rounds, so a missing lock shows.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.models import Hold, Settlement
from escrow.selectors import ledger_balances_off
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict
from marketplace.disputes import services
from marketplace.disputes.models import Dispute
from tests.disputes.world import escalated, funded_contract, make_support, open_dispute, usd
from tests.support.concurrently import at_once

ROUNDS = 6
# The approval starts this much after the decision (seconds): the decision's transaction is short,
# so without a spread the approval would mostly reach the hold's lock first, every round.
DELAYS = (0, 0.01, 0.02, 0.04, 0.08, 0.15)


def _kinds(hold_id) -> list[str]:
    return sorted(Settlement.objects.filter(hold_id=hold_id).values_list("kind", flat=True))


def _decide(dispute, support, outcome, **parts):
    return lambda: services.dispute_decide(
        acting_user=support,
        dispute=Dispute.objects.get(pk=dispute.pk),
        outcome=outcome,
        reason="Decided on the evidence.",
        **parts,
    )


def test_a_decision_racing_the_clients_approval_moves_the_money_once(transactional_db):
    support = make_support()
    for round_ in range(ROUNDS):
        contract = funded_contract(60_000, submitted=True)
        milestone = contract.milestones.get()
        dispute = escalated(open_dispute(milestone))

        delay = DELAYS[round_ % len(DELAYS)]

        def approve(contract=contract, milestone=milestone, delay=delay):
            time.sleep(delay)  # the client arrives at a different moment of the decision each round
            return contracts.milestone_approve(
                acting_user=contract.client, milestone=Milestone.objects.get(pk=milestone.pk)
            )

        decided, approved = at_once(_decide(dispute, support, Dispute.Outcome.REFUND_ALL), approve)

        label = f"round {round_}: {decided!r}, {approved!r}"
        assert isinstance(decided, Dispute), label
        assert decided.status == Dispute.Status.DECIDED, label
        assert isinstance(approved, Conflict), label
        assert approved.code in ("dispute_open", "illegal_transition"), label
        assert _kinds(milestone.hold_id) == ["refund"], label
        assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.SETTLED, label
        assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.REFUNDED, label
    assert ledger_balances_off() == []


@pytest.mark.parametrize("first", ["open", "sweep"])
def test_an_opening_racing_the_automatic_approval(transactional_db, first):
    outcomes_seen = set()
    for round_ in range(ROUNDS):
        contract = funded_contract(60_000, submitted=True)
        milestone = contract.milestones.get()

        def opening(milestone=milestone):
            return open_dispute(Milestone.objects.get(pk=milestone.pk), amount=60_000)

        def sweep():
            return contracts.milestones_due(now=timezone.now() + timedelta(days=15))

        calls = [opening, sweep]
        outcomes = at_once(*(calls if first == "open" else calls[::-1]))
        if first == "sweep":
            outcomes.reverse()
        opened, swept = outcomes

        label = f"round {round_}: {outcomes!r}"
        assert isinstance(swept, dict), label  # the sweep never fails on a milestone frozen meanwhile
        hold = Hold.objects.get(pk=milestone.hold_id)
        if isinstance(opened, Dispute):
            outcomes_seen.add("opened")
            assert swept["approved"] == 0, label
            assert hold.status == Hold.Status.FROZEN, label
            assert _kinds(hold.pk) == [], label
            assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.SUBMITTED, label
        else:
            outcomes_seen.add("swept")
            assert isinstance(opened, Conflict), label
            assert opened.code == "milestone_not_disputable", label
            assert swept["approved"] == 1, label
            assert _kinds(hold.pk) == ["release"], label
            assert not Dispute.objects.filter(hold=hold).exists(), label
    assert outcomes_seen, "no round ran"


def test_two_decisions_at_once_have_one_effect(transactional_db):
    support, other = make_support(), make_support()
    for round_ in range(ROUNDS):
        contract = funded_contract(60_000, submitted=True)
        dispute = escalated(open_dispute(contract.milestones.get()))

        outcomes = at_once(
            _decide(dispute, support, Dispute.Outcome.SPLIT, release=usd(36_000), refund=usd(24_000)),
            _decide(dispute, other, Dispute.Outcome.RELEASE_ALL),
        )

        label = f"round {round_}: {outcomes!r}"
        decided = [o for o in outcomes if isinstance(o, Dispute)]
        refused = [o for o in outcomes if not isinstance(o, Dispute)]
        assert (len(decided), len(refused)) == (1, 1), label
        assert isinstance(refused[0], Conflict), label
        assert (refused[0].code, refused[0].status) == ("dispute_not_active", 409), label
        winner = decided[0]
        expected = ["refund", "release"] if winner.outcome == "split" else ["release"]
        assert _kinds(dispute.hold_id) == expected, label
        dispute.refresh_from_db()
        assert dispute.resolved_by_id == winner.resolved_by_id, label
        assert (
            Settlement.objects.filter(hold_id=dispute.hold_id)
            .exclude(created_by_id=winner.resolved_by_id)
            .count()
            == 0
        ), label
    assert ledger_balances_off() == []
