"""Races on one hold, run for real: threads meet at a barrier, each on its own PostgreSQL connection
(``transactional_db``), several rounds, so a missing lock shows.

- A freeze racing a release of the same funded hold: the hold ends either settled (the freeze waited for
  the release and was refused) or frozen (the release was refused), never "frozen" with its money gone.
  ``hold_freeze``'s own ``lock_hold`` makes the loser wait and tells it the real reason (``nothing_held``);
  without it, ``transition()``'s lock still keeps the money right but the answer is the generic
  ``illegal_transition``; without both, the hold ends frozen with everything released.
- A contract cancelled while its milestone's payment is being recorded: the lock inside
  ``marketplace.core.transitions.transition()`` is what makes the funding wait and see the cancellation
  (the funding reads the milestone without a lock of its own first); without it the funding overwrites
  "cancelled" with "funded" and the money stays held for a cancelled contract.
"""

import pytest
from django.db.models import Sum

from escrow.models import Hold, LedgerAccount, LedgerEntry, Settlement
from escrow.services.holds import hold_freeze, hold_refund, hold_release, hold_unfreeze
from marketplace.core.exceptions import Conflict
from tests.escrow.builders import fund, milestone_hold
from tests.factories import make_contract
from tests.support.concurrently import at_once

ROUNDS = 8
Kind = LedgerAccount.Kind


def _held(hold: Hold) -> int:
    entries = LedgerEntry.objects.filter(account__kind=Kind.ESCROW_HELD, account__hold=hold)
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


def _funded_hold() -> Hold:
    contract = make_contract(milestones=[("Only", 60_000)])
    hold = milestone_hold(contract.milestones.get())
    fund(hold)
    return hold


def test_only_money_still_held_can_be_frozen(db):
    contract = make_contract(milestones=[("Only", 60_000)])
    hold = milestone_hold(contract.milestones.get())
    with pytest.raises(Conflict) as pending:
        hold_freeze(hold=hold, reason="A dispute")
    assert (pending.value.code, pending.value.status) == ("nothing_held", 409)
    fund(hold)
    hold_freeze(hold=hold, reason="A dispute")
    with pytest.raises(Conflict) as again:
        hold_freeze(hold=hold, reason="A dispute")
    assert (again.value.code, again.value.status) == ("already_frozen", 409)
    hold_unfreeze(hold=hold, reason="Resolved")
    hold_refund(hold=hold)
    with pytest.raises(Conflict) as settled:
        hold_freeze(hold=Hold.objects.get(pk=hold.pk), reason="Too late")
    assert (settled.value.code, settled.value.status) == ("nothing_held", 409)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.SETTLED


def test_a_freeze_racing_a_release_never_freezes_money_that_is_gone(transactional_db):
    winners = []
    for round_ in range(ROUNDS):
        hold = _funded_hold()

        def freeze(pk=hold.pk):
            return hold_freeze(hold=Hold.objects.get(pk=pk), reason="A dispute")

        def release(pk=hold.pk):
            return hold_release(hold=Hold.objects.get(pk=pk), reason="Approved")

        froze, released = at_once(freeze, release)

        hold.refresh_from_db()
        settlements = list(Settlement.objects.filter(hold=hold).values_list("kind", "principal_minor"))
        label = f"round {round_}: freeze {froze!r}, release {released!r}, {hold.status}, {settlements}"
        assert not (hold.status == Hold.Status.FROZEN and settlements), label
        if isinstance(froze, Hold):  # the freeze came first: the release was stopped
            assert isinstance(released, Conflict), label
            assert (released.code, released.status) == ("hold_frozen", 409), label
            assert hold.status == Hold.Status.FROZEN, label
            assert settlements == [], label
            assert _held(hold) == 63_000, label  # the amount and the client fee, all still held
            winners.append("freeze")
        else:  # the release came first: the freeze waited for it and was told the money is gone
            assert isinstance(froze, Conflict), label
            assert (froze.code, froze.status) == ("nothing_held", 409), label
            assert isinstance(released, Settlement), label
            assert hold.status == Hold.Status.SETTLED, label
            assert settlements == [("release", 60_000)], label
            assert _held(hold) == 0, label
            winners.append("release")
    assert len(winners) == ROUNDS
