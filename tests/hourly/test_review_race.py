"""The client's approval of a week and the auto-release sweep at the same moment (threads at a
barrier, each on its own PostgreSQL connection), in both thread orders: the week is released once —
one approval, one settlement, one transfer row and one transfer on the fake Stripe — and a client who
lost is told the week is approved already (409 ``illegal_transition``).

What makes this hold is the week's hold, locked first (``services.review.timesheet_under_hold``): the
second reads the week only once the first has committed. Without it the loser gets past the week's
check and is refused later, by escrow (``nothing_held``): the wrong answer, and a week whose check
no longer guards its money.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.models import Settlement, Transfer
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import transfer_send
from marketplace.core.exceptions import Conflict
from marketplace.core.models import StatusChange
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.review import timesheet_approve, timesheets_release_due
from tests.escrow.money_world import onboard
from tests.hourly.support import in_review_week
from tests.support.concurrently import at_once

ROUNDS = 4


@pytest.mark.parametrize("first", ["client", "sweep"])
def test_client_approval_racing_the_sweep_releases_the_week_once(stripe_fake, transactional_db, first):
    winners = []
    for round_ in range(ROUNDS):
        week = in_review_week(fake=stripe_fake)
        connected_account_sync(account_id=onboard(stripe_fake, week.contract.freelancer).account_id)

        def approve(week=week):
            return timesheet_approve(
                acting_user=week.contract.client, timesheet=Timesheet.objects.get(pk=week.pk)
            )

        def sweep():
            return timesheets_release_due(now=timezone.now() + timedelta(days=30))

        calls = [approve, sweep] if first == "client" else [sweep, approve]
        outcomes = at_once(*calls)
        client, swept = outcomes if first == "client" else outcomes[::-1]
        label = f"round {round_}: {outcomes!r}"

        assert isinstance(swept, dict), label  # the sweep never fails on a week answered meanwhile
        if isinstance(client, Timesheet):
            assert swept == {"approved": 0}, label
            winners.append("client")
        else:
            assert isinstance(client, Conflict), label
            assert (client.code, client.status) == ("illegal_transition", 409), label
            assert client.message.startswith("This timesheet is approved"), label
            assert swept == {"approved": 1}, label
            winners.append("sweep")
        approvals = StatusChange.objects.filter(
            target_type="hourly.timesheet", target_id=week.pk, to_status="approved"
        )
        assert approvals.count() == 1, label
        assert Settlement.objects.filter(hold=week.hold_id).count() == 1, label
        transfers = Transfer.objects.filter(settlement__hold=week.hold_id)
        assert transfers.count() == 1, label
        transfer_send(transfers.get().pk)
        group = f"contract-{week.contract_id}"
        sent = [t for t in stripe_fake.list("/v1/transfers") if t["transfer_group"] == group]
        assert [t["amount"] for t in sent] == [week.amount_minor - week.hold.freelancer_fee_minor], label
        week.refresh_from_db()
        assert week.status == Timesheet.Status.RELEASED, label
    assert len(winners) == ROUNDS


def test_a_dispute_racing_the_sweep_either_freezes_the_week_or_finds_it_approved(transactional_db):
    """Opening a dispute and the sweep at once: the week ends disputed with nothing released, or
    approved and released with the dispute refused (409 ``timesheet_not_disputable``) — never both."""
    from marketplace.disputes.models import Dispute
    from marketplace.disputes.services import dispute_open_week
    from tests.hourly.support import usd

    seen = set()
    for round_ in range(ROUNDS):
        week = in_review_week()
        entry = week.entries.first()

        def dispute(week=week, entry=entry):
            return dispute_open_week(
                acting_user=week.contract.client,
                timesheet=Timesheet.objects.get(pk=week.pk),
                reason="quality",
                description="These hours were not worked as logged.",
                entries=[{"entry": entry.pk, "amount": usd(1_000)}],
            )

        def sweep():
            return timesheets_release_due(now=timezone.now() + timedelta(days=30))

        opened, swept = at_once(dispute, sweep)
        label = f"round {round_}: {(opened, swept)!r}"
        week.refresh_from_db()
        released = Settlement.objects.filter(hold=week.hold_id).count()
        if isinstance(opened, Dispute):
            assert swept == {"approved": 0}, label
            assert (week.status, released) == (Timesheet.Status.DISPUTED, 0), label
            seen.add("disputed")
        else:
            assert isinstance(opened, Conflict), label
            assert opened.code == "timesheet_not_disputable", label
            assert swept == {"approved": 1}, label
            assert (week.status, released) == (Timesheet.Status.APPROVED, 1), label
            assert not Dispute.objects.filter(timesheet=week).exists(), label
            seen.add("approved")
    assert seen
