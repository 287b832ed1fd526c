"""A transfer Stripe refuses: the account is read again before the next attempt, attempts are
bounded with a doubling wait, and the last refusal leaves it "stuck" for staff with the reason,
the money still owed to the freelancer. ``transfer.created`` is believed only when it matches our
row. After the freelancer's bank account changes, transfers to them wait 72 hours.

Refusals and the bank change happen on the fake Stripe (its API and fake-only controls); time moves
with time_machine.
"""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from escrow.models import ConnectedAccount, LedgerAccount, ProcessorDiscrepancy, Transfer
from escrow.services.connect import connected_account_for
from escrow.services.payouts import transfer_send
from messaging.models import Notification
from tests.escrow.money_world import ledger_sum
from tests.escrow.recovery_world import approve, deliver, funded, paid_charge, ready_for_payouts, sweep

pytestmark = pytest.mark.django_db
Status = Transfer.Status


def _stale_account(fake, user) -> ConnectedAccount:
    """An account our copy says can receive, although on the processor it never finished onboarding."""
    account = connected_account_for(user, country="US")
    ConnectedAccount.objects.filter(pk=account.pk).update(
        details_submitted=True, payouts_enabled=True, transfers_active=True
    )
    return account


def _transfer(pk: int) -> Transfer:
    return Transfer.objects.get(pk=pk)


def test_a_refused_transfer_reads_the_account_again_instead_of_retrying_every_minute(stripe_fake):
    milestone = funded(stripe_fake)
    freelancer = milestone.contract.freelancer
    account = _stale_account(stripe_fake, freelancer)
    transfer = approve(milestone)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        transfer_send(transfer.pk)
        refused = _transfer(transfer.pk)
        assert (refused.status, refused.attempts) == (Status.BLOCKED, 1)
        assert "capabilities" in refused.last_error

        for _ in range(3):  # every minute, the beat's sweep: nothing is sent again
            clock.shift(timedelta(minutes=1))
            sweep()
            sweep()
        assert _transfer(transfer.pk).attempts == 1
        assert stripe_fake.list("/v1/transfers") == []

        clock.shift(timedelta(minutes=10))  # the wait is over: the account is read first
        sweep()
        sweep()
        account.refresh_from_db()
        assert not account.can_receive  # the processor's word: it cannot receive yet
        assert (_transfer(transfer.pk).status, _transfer(transfer.pk).attempts) == (Status.BLOCKED, 1)

        stripe_fake.complete_onboarding(account.account_id)
        deliver(stripe_fake.events("account.updated")[0])
        sweep()
    paid = _transfer(transfer.pk)
    assert paid.status == Status.SENT
    assert [t["id"] for t in stripe_fake.list("/v1/transfers")] == [paid.processor_id]


def test_a_transfer_refused_every_time_waits_longer_each_time_then_is_stuck(stripe_fake, client):
    milestone = funded(stripe_fake)
    contract = milestone.contract
    ready_for_payouts(stripe_fake, contract.freelancer)
    # Someone refunded the whole charge in Stripe's dashboard: nothing is left to transfer from it.
    stripe_fake.post("/v1/refunds", payment_intent=paid_charge(milestone).payment_intent_id)
    transfer = approve(milestone)
    owed = transfer.amount_minor
    waits = []
    with time_machine.travel(timezone.now(), tick=False) as clock:
        transfer_send(transfer.pk)
        while _transfer(transfer.pk).status == Status.BLOCKED:
            row = _transfer(transfer.pk)
            waits.append(round((row.next_attempt_at - timezone.now()).total_seconds()))
            clock.shift(timedelta(seconds=waits[-1] - 60))
            sweep()
            sweep()
            assert _transfer(transfer.pk).attempts == row.attempts  # not due yet: not tried
            clock.shift(timedelta(seconds=61))
            sweep()  # the account is read again (it is fine) and the transfer queued
            sweep()  # and sent: refused again
            assert _transfer(transfer.pk).attempts == row.attempts + 1
        clock.shift(timedelta(days=3))
        sweep()
        sweep()

    stuck = _transfer(transfer.pk)
    assert waits == [300, 600, 1200, 2400]
    assert (stuck.status, stuck.attempts) == (Status.STUCK, 5)
    assert "Insufficient funds" in stuck.last_error
    assert stripe_fake.list("/v1/transfers") == []
    # Still owed to the freelancer, in the ledger.
    assert ledger_sum(LedgerAccount.Kind.FREELANCER_PAYABLE, user_id=contract.freelancer_id) == owed
    told = Notification.objects.filter(kind=Notification.Kind.PAYOUT_WAITING, title__contains="delayed")
    assert set(told.values_list("recipient_id", flat=True)) == {contract.freelancer_id, contract.client_id}


def test_transfer_created_is_believed_only_when_it_matches_our_row(stripe_fake):
    milestone = funded(stripe_fake)
    account = ready_for_payouts(stripe_fake, milestone.contract.freelancer)
    transfer = approve(milestone)
    # Another transfer names our row in its metadata: another amount, another group.
    stripe_fake.post(
        "/v1/transfers",
        amount=100,
        currency="usd",
        destination=account.account_id,
        transfer_group="someone-else",
        metadata={"transfer_id": transfer.pk},
    )
    deliver(stripe_fake.events("transfer.created")[0])

    assert _transfer(transfer.pk).status == Status.INTENDED  # not applied
    finding = ProcessorDiscrepancy.objects.get()
    assert finding.kind == ProcessorDiscrepancy.Kind.TRANSFER_MISMATCH
    assert "amount" in finding.detail
    assert "group" in finding.detail
    assert finding.amount_minor == 100

    transfer_send(transfer.pk)  # ours goes out, and its own event agrees with it
    deliver(stripe_fake.events("transfer.created")[0])
    assert _transfer(transfer.pk).status == Status.SENT
    assert ProcessorDiscrepancy.objects.count() == 1


def test_transfers_wait_72_hours_after_the_bank_account_changes(stripe_fake):
    milestone = funded(stripe_fake)
    contract = milestone.contract
    account = ready_for_payouts(stripe_fake, contract.freelancer)
    assert account.external_account_id.startswith("ba_")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        stripe_fake.change_external_account(account.account_id, last4="4321")
        deliver(stripe_fake.events("account.updated")[0])
        account.refresh_from_db()
        assert account.payouts_paused_until == start + timedelta(hours=72)

        transfer = approve(milestone)
        transfer_send(transfer.pk)
        waiting = _transfer(transfer.pk)
        assert (waiting.status, waiting.next_attempt_at) == (Status.BLOCKED, account.payouts_paused_until)
        assert stripe_fake.list("/v1/transfers") == []

        clock.shift(timedelta(hours=71))
        sweep()
        sweep()
        assert _transfer(transfer.pk).status == Status.BLOCKED
        clock.shift(timedelta(hours=1, minutes=1))
        sweep()
        sweep()
    assert _transfer(transfer.pk).status == Status.SENT
    titles = dict(Notification.objects.values_list("recipient_id", "title").filter(kind="payout_waiting"))
    assert titles[contract.freelancer_id].startswith("Payouts paused until")
    assert "goes out on" in titles[contract.client_id]
