"""A refund Stripe refuses is tried again with a doubling wait, then is "stuck" for staff; one that
fails after it was booked as returned is owed to the client again (a ``refund_failed`` posting back
into ``refunds_payable``) and sent again. The money is owed to the client until it goes out."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from escrow.idempotency import base_of
from escrow.models import LedgerAccount, LedgerTransaction, Refund
from escrow.selectors import ledger_of_holds
from escrow.services.holds import hold_refund
from escrow.services.payouts import refund_send
from marketplace.contracts.money import CLIENT, FREELANCER, money_events
from messaging.models import Notification
from tests.escrow.money_world import ledger_sum
from tests.escrow.recovery_world import deliver, funded, paid_charge, sweep

pytestmark = pytest.mark.django_db
Status = Refund.Status
PAYABLE = LedgerAccount.Kind.REFUNDS_PAYABLE


def _refunded(fake):
    milestone = funded(fake)
    settlement = hold_refund(hold=milestone.hold, reason="Test refund")
    return milestone, Refund.objects.get(settlement=settlement)


def test_a_refund_refused_at_first_is_tried_again_and_goes_out(stripe_fake):
    milestone, refund = _refunded(stripe_fake)
    client_id = milestone.contract.client_id
    # The charge was refunded in the dashboard: ours is refused (nothing left to refund).
    outside = stripe_fake.post("/v1/refunds", payment_intent=paid_charge(milestone).payment_intent_id)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refund_send(refund.pk)
        refused = Refund.objects.get(pk=refund.pk)
        assert (refused.status, refused.attempts) == (Status.FAILED, 1)
        assert refused.next_attempt_at == timezone.now() + timedelta(minutes=5)
        assert ledger_sum(PAYABLE, user_id=client_id) == refund.amount_minor  # still owed

        stripe_fake.fail_refund(outside["id"])  # that one bounced: the charge can be refunded again
        clock.shift(timedelta(minutes=4))
        sweep()
        assert Refund.objects.get(pk=refund.pk).status == Status.FAILED  # not due yet
        clock.shift(timedelta(minutes=2))
        sweep()
    sent = Refund.objects.get(pk=refund.pk)
    assert sent.status == Status.SENT
    assert base_of(sent.idempotency_key) == f"refund-settlement-{refund.settlement_id}-1"
    assert ledger_sum(PAYABLE, user_id=client_id) == 0


def test_a_refund_refused_every_time_is_stuck_and_still_owed(stripe_fake):
    milestone, refund = _refunded(stripe_fake)
    client_id = milestone.contract.client_id
    stripe_fake.post("/v1/refunds", payment_intent=paid_charge(milestone).payment_intent_id)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refund_send(refund.pk)
        for _ in range(10):
            clock.shift(timedelta(days=1))
            sweep()
    stuck = Refund.objects.get(pk=refund.pk)
    assert (stuck.status, stuck.attempts) == (Status.STUCK, 5)
    assert "already been refunded" in stuck.last_error
    assert ledger_sum(PAYABLE, user_id=client_id) == refund.amount_minor
    told = Notification.objects.get(recipient_id=client_id, title__contains="refund")
    assert "delayed" in told.title
    assert "still owed" in told.body


def test_a_refund_that_fails_after_it_was_booked_is_owed_again_and_sent_again(stripe_fake):
    milestone, refund = _refunded(stripe_fake)
    contract = milestone.contract
    refund_send(refund.pk)
    first = Refund.objects.get(pk=refund.pk)
    assert first.status == Status.SENT
    assert ledger_sum(PAYABLE, user_id=contract.client_id) == 0

    with time_machine.travel(timezone.now(), tick=False) as clock:
        stripe_fake.fail_refund(first.processor_id)
        deliver(stripe_fake.events("refund.updated")[0])
        bounced = Refund.objects.get(pk=refund.pk)
        assert bounced.status == Status.FAILED
        assert "expired_or_canceled_card" in bounced.last_error
        assert ledger_sum(PAYABLE, user_id=contract.client_id) == refund.amount_minor
        bounce = LedgerTransaction.objects.filter(kind="refund_failed", external_id=first.processor_id)
        assert bounce.count() == 1
        deliver({**stripe_fake.events("refund.updated")[0], "id": "evt_replayed"})  # a replay changes nothing
        assert LedgerTransaction.objects.filter(kind="refund_failed").count() == 1

        # The client's money history says so; the freelancer's is not told about the card.
        ledger = ledger_of_holds([milestone.hold_id])
        for_client = money_events(ledger, [milestone], contract, side=CLIENT)
        assert for_client[-1].lines[0].label == "Refused by your card's bank; owed to you and sent again"
        assert "bounce" in for_client[-1].what
        assert money_events(ledger, [milestone], contract, side=FREELANCER)[-1].kind == "refund"

        clock.shift(timedelta(minutes=6))
        sweep()
    again = Refund.objects.get(pk=refund.pk)
    assert again.status == Status.SENT
    assert again.processor_id != first.processor_id
    assert ledger_sum(PAYABLE, user_id=contract.client_id) == 0
    statuses = sorted(r["status"] for r in stripe_fake.list("/v1/refunds"))
    assert statuses == ["failed", "succeeded"]
    succeeded = [r["amount"] for r in stripe_fake.list("/v1/refunds") if r["status"] == "succeeded"]
    assert succeeded == [refund.amount_minor]
