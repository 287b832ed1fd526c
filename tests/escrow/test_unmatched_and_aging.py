"""A payment no charge of ours asked for is recorded for staff, not dropped; an open charge is read
again after its first day, with a growing wait, until Stripe says it is final; money waiting for its
transfer is announced at 60 days and, at 90, goes back to the client unless it was approved or is in
dispute (then staff are asked)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from escrow.models import Charge, Hold, ProcessorDiscrepancy, Refund, Transfer
from escrow.services.holds import hold_freeze
from escrow.tasks import holds_aging_task
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from messaging.models import Notification
from tests.escrow.builders import fund_milestone
from tests.escrow.money_world import pay_in_browser
from tests.escrow.recovery_world import deliver, sweep
from tests.factories import make_contract

pytestmark = pytest.mark.django_db


def test_a_payment_with_no_charge_of_ours_is_recorded_for_staff(stripe_fake):
    customer = stripe_fake.post("/v1/customers", email="someone@example.com")
    intent = stripe_fake.post(
        "/v1/payment_intents",
        amount=4_200,
        currency="usd",
        customer=customer["id"],
        payment_method_types=["card"],
        metadata={"hold_id": 987_654},
    )
    pay_in_browser(stripe_fake, intent["id"])
    deliver(stripe_fake.events("payment_intent.succeeded")[0])

    finding = ProcessorDiscrepancy.objects.get()
    assert (finding.kind, finding.processor_id) == (ProcessorDiscrepancy.Kind.UNMATCHED_PAYMENT, intent["id"])
    assert (finding.amount_minor, finding.currency) == (4_200, "USD")
    assert "hold_id=987654" in finding.detail


def test_an_open_charge_is_read_again_after_its_first_day_until_it_is_final(stripe_fake):
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
        clock.shift(timedelta(days=2))
        sweep()  # read: still waiting for the card; read again in age / 8 = 6 hours
        assert Charge.objects.get(pk=charge.pk).next_sync_at == timezone.now() + timedelta(hours=6)

        # The client pays in a tab left open; its answer and the webhook are lost.
        pay_in_browser(stripe_fake, charge.payment_intent_id)
        clock.shift(timedelta(hours=5))
        sweep()
        assert Charge.objects.get(pk=charge.pk).status == Charge.Status.OPEN  # not due yet
        clock.shift(timedelta(hours=1, minutes=1))
        sweep()
    assert Charge.objects.get(pk=charge.pk).status == Charge.Status.SUCCEEDED
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.FUNDED


def _funded_milestones(count: int):
    contract = make_contract(milestones=[(f"Part {n}", 10_000) for n in range(1, count + 1)])
    milestones = list(contract.milestones.order_by("position"))
    for milestone in milestones:
        fund_milestone(milestone)
    return contract, milestones


def test_money_held_60_days_is_announced_and_at_90_goes_back_unless_approved_or_disputed():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        contract, (waiting, approved, disputed) = _funded_milestones(3)
        contract_services.milestone_submit(acting_user=contract.freelancer, milestone=approved, message="Ok")
        contract_services.milestone_approve(acting_user=contract.client, milestone=approved)  # no payouts yet
        disputed.refresh_from_db()
        hold_freeze(hold=disputed.hold, reason="In dispute")

        clock.shift(timedelta(days=59))
        assert holds_aging_task()["warned"] == 0
        clock.shift(timedelta(days=1, minutes=1))
        assert holds_aging_task()["warned"] == 3
        assert holds_aging_task()["warned"] == 0  # once
        told = Notification.objects.filter(title__contains="can be held until")
        assert {n.recipient_id for n in told} == {contract.client_id, contract.freelancer_id}

        clock.shift(timedelta(days=30))
        done = holds_aging_task()
        assert done == {"warned": 0, "settled": 1, "flagged": 2}
        assert holds_aging_task() == {"warned": 0, "settled": 0, "flagged": 0}

    waiting.refresh_from_db()
    assert waiting.status == Milestone.Status.REFUNDED
    assert Refund.objects.filter(settlement__hold=waiting.hold).exists()
    flagged = Hold.objects.filter(age_flagged_at__isnull=False)
    assert set(flagged.values_list("pk", flat=True)) == {approved.hold_id, disputed.hold_id}
    assert Transfer.objects.get(settlement__hold=approved.hold_id).status == Transfer.Status.BLOCKED
