"""Two approvals of one submitted milestone at the same moment (threads at a barrier, each on its own
PostgreSQL connection): the money is released once. One approval wins; the other is told, with a 409
``illegal_transition``, that the milestone is approved already. One settlement, one transfer row and one
transfer on the fake Stripe. The same for the client's approval racing the 14-day automatic approval.

What makes this hold is the hold's lock, taken first (``contracts/locks.milestone_under_hold``): the
second approval reads the milestone only once the first has committed, and is refused by its state.
Without that lock the loser is refused later, by escrow, with ``nothing_held`` — the money still moves
once, but the answer is wrong. Each race runs several rounds, so a missing lock shows.
"""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from escrow.models import Hold, LedgerAccount, LedgerEntry, Settlement, Transfer
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import transfer_send
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict, DomainError
from marketplace.core.models import StatusChange
from tests.escrow.money_world import onboard, pay_in_browser
from tests.factories import make_contract
from tests.support.concurrently import at_once

ROUNDS = 5
Kind = LedgerAccount.Kind


def _submitted(fake):
    """A funded (through the fake) and submitted milestone whose freelancer can be paid."""
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    connected_account_sync(account_id=onboard(fake, contract.freelancer).account_id)
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    return contract, milestone


def _approve(contract, milestone):
    return lambda: contract_services.milestone_approve(
        acting_user=contract.client, milestone=Milestone.objects.get(pk=milestone.pk)
    )


def _approvals(milestone):
    return StatusChange.objects.filter(
        target_type="contracts.milestone", target_id=milestone.pk, to_status="approved"
    )


def _released_once(fake, contract, milestone, label) -> None:
    """One approval, one settlement, one transfer row; the worker sends each transfer row there is, and
    the fake ends with one transfer, matching the ledger of this contract to the minor unit."""
    hold = Hold.objects.get(milestone=milestone)
    assert _approvals(milestone).count() == 1, label
    settled = StatusChange.objects.filter(target_type="escrow.hold", target_id=hold.pk, to_status="settled")
    assert settled.count() == 1, label
    assert Settlement.objects.filter(hold=hold).count() == 1, label
    transfers = Transfer.objects.filter(settlement__hold=hold)
    assert transfers.count() == 1, label
    for transfer in transfers:
        transfer_send(transfer.pk)
    sent = [t for t in fake.list("/v1/transfers") if t["transfer_group"] == f"contract-{contract.pk}"]
    assert [t["id"] for t in sent] == [transfers.get().processor_id], label
    assert sent[0]["amount"] == 54_000, label

    def balance(kind, **owner):
        entries = LedgerEntry.objects.filter(account__kind=kind, transaction__hold=hold, **owner)
        return entries.aggregate(total=Sum("amount_minor"))["total"] or 0

    assert balance(Kind.ESCROW_HELD) == 0, label
    assert balance(Kind.FREELANCER_PAYABLE) == 0, label
    assert balance(Kind.PLATFORM_REVENUE) == 3_000 + 6_000, label  # 5 % client fee + 10 % freelancer fee
    # Stripe kept 2.9 % + 30 of the 63,000 charge (the platform's cost), paid out through it too.
    assert balance(Kind.PROCESSOR_FEES) == -(1_827 + 30), label
    assert balance(Kind.PROCESSOR_CLEARING) == 54_000 + 1_827 + 30, label
    assert balance(Kind.CLIENT_FUNDING) == -63_000, label
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED, label


def test_two_approvals_of_one_milestone_release_the_money_once(stripe_fake, transactional_db):
    for round_ in range(ROUNDS):
        contract, milestone = _submitted(stripe_fake)

        outcomes = at_once(_approve(contract, milestone), _approve(contract, milestone))

        label = f"round {round_}: {outcomes!r}"
        approved = [o for o in outcomes if isinstance(o, Milestone)]
        refused = [o for o in outcomes if isinstance(o, DomainError)]
        assert (len(approved), len(refused)) == (1, 1), label
        assert isinstance(refused[0], Conflict), label
        assert (refused[0].code, refused[0].status) == ("illegal_transition", 409), label
        # The loser read the milestone only after the winner committed: it is told the real reason.
        assert refused[0].message.startswith("This milestone is approved"), label
        _released_once(stripe_fake, contract, milestone, label)


@pytest.mark.parametrize("first", ["client", "sweep"])
def test_an_approval_racing_the_automatic_approval_releases_the_money_once(
    stripe_fake, transactional_db, first
):
    """The client's approval and the 14-day sweep at once (in both thread orders): one of them approves."""
    winners = []
    for round_ in range(ROUNDS):
        contract, milestone = _submitted(stripe_fake)

        def sweep():
            return contract_services.milestones_due(now=timezone.now() + timedelta(days=15))

        calls = [_approve(contract, milestone), sweep]
        outcomes = at_once(*(calls if first == "client" else calls[::-1]))
        if first == "sweep":
            outcomes.reverse()
        client, swept = outcomes

        label = f"round {round_}: {outcomes!r}"
        assert isinstance(swept, dict), label  # the sweep never fails on a milestone answered meanwhile
        assert swept["refunded"] == 0, label
        if isinstance(client, Milestone):
            assert swept["approved"] == 0, label
            winners.append("client")
        else:
            assert isinstance(client, Conflict), label
            assert (client.code, client.status) == ("illegal_transition", 409), label
            assert swept["approved"] == 1, label
            winners.append("sweep")
        actor = _approvals(milestone).values_list("actor_id", flat=True).first()
        assert actor == (contract.client_id if winners[-1] == "client" else None), label
        _released_once(stripe_fake, contract, milestone, label)
    assert len(winners) == ROUNDS
