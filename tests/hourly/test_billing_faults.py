"""The weekly off-session charge when the processor fails, injected at the HTTP level by the fake
Stripe: a 500 before or after it made the PaymentIntent, a timeout before or after it did, a dropped
connection. The real task ``hourly.charge_week`` retries (eagerly here, its backoff skipped) and
the week ends charged exactly once: one PaymentIntent on the fake, one paid charge, the ledger
balanced. A charge whose task is lost is completed by escrow's intent sweep with the same key."""

import pytest

from escrow.models import Charge, Hold
from escrow.tasks import retry_intents
from marketplace.core.exceptions import DependencyUnavailable
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.billing import timesheet_charge, weeks_bill_due
from marketplace.hourly.tasks import charge_week
from tests.hourly.billing_world import (
    DUE,
    MONDAY,
    after,
    hourly_contract,
    intents_of,
    ledger_balanced,
    log_time,
    paid_intents,
    save_card,
)

pytestmark = pytest.mark.django_db
Status = Timesheet.Status
LATE = 4.5  # above the gateway's 3 s timeout under the stripe_fake fixture
CREATE = ("POST", "/v1/payment_intents")


def _billed(fake, card: str = "pm_card_visa"):
    contract = hourly_contract()
    save_card(fake, contract.client, card)
    log_time(contract, after(MONDAY, hours=10), 120)
    weeks_bill_due(now=DUE)
    week = Timesheet.objects.get(contract=contract)
    assert week.status == Status.CHARGING
    return contract, week


@pytest.mark.parametrize("mode", ["error", "error_after", "timeout", "timeout_after", "disconnect"])
def test_the_charge_task_retries_and_charges_once(stripe_fake, mode):
    contract, week = _billed(stripe_fake)
    stripe_fake.inject_fault(*CREATE, mode, count=1, delay=LATE)

    charge_week.apply(args=[week.pk])

    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    [intent] = intents_of(stripe_fake, contract)  # never two
    assert intent["status"] == "succeeded"
    assert intent["amount"] == week.hold.charge_amount_minor
    assert Charge.objects.filter(hold=week.hold, status=Charge.Status.SUCCEEDED).count() == 1
    assert ledger_balanced()


def test_an_outage_leaves_the_week_charging_and_nothing_half_done(stripe_fake):
    contract, week = _billed(stripe_fake)
    stripe_fake.inject_fault(*CREATE, "timeout_after", count=1, delay=LATE)
    with pytest.raises(DependencyUnavailable):
        timesheet_charge(timesheet_id=week.pk)
    week.refresh_from_db()
    assert week.status == Status.CHARGING
    assert week.hold.status == Hold.Status.PENDING
    [charge] = Charge.objects.filter(hold=week.hold)
    assert charge.status == Charge.Status.CREATING
    key = charge.idempotency_key
    # The card was charged meanwhile (the answer was lost): the retry repeats the key and records it.
    assert len(paid_intents(stripe_fake, contract)) == 1
    timesheet_charge(timesheet_id=week.pk)
    week.refresh_from_db()
    charge.refresh_from_db()
    assert (week.status, charge.idempotency_key, charge.status) == (Status.IN_REVIEW, key, "succeeded")
    assert len(intents_of(stripe_fake, contract)) == 1


def test_a_decline_whose_reading_times_out_is_recorded_on_the_retry(stripe_fake):
    contract, week = _billed(stripe_fake, "pm_card_chargeCustomerFail")
    stripe_fake.inject_fault("GET", "/v1/payment_intents/*", "timeout", count=1, delay=LATE)
    with pytest.raises(DependencyUnavailable):
        timesheet_charge(timesheet_id=week.pk)
    assert Timesheet.objects.get(pk=week.pk).status == Status.CHARGING
    timesheet_charge(timesheet_id=week.pk)
    week.refresh_from_db()
    assert (week.status, week.failure_code) == (Status.PAYMENT_FAILED, "card_declined")
    assert len(intents_of(stripe_fake, contract)) == 1
    assert paid_intents(stripe_fake, contract) == []


def test_a_lost_charge_task_is_completed_by_the_intent_sweep(stripe_fake):
    contract, week = _billed(stripe_fake)
    stripe_fake.inject_fault(*CREATE, "timeout", count=1, delay=LATE)
    with pytest.raises(DependencyUnavailable):
        timesheet_charge(timesheet_id=week.pk)
    # The task never runs again; escrow's sweep repeats the off-session request (same key).
    done = retry_intents(older_than_seconds=0)
    assert (done["charges"], done["failed"]) == (1, 0)
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    assert len(intents_of(stripe_fake, contract)) == 1
    assert len(paid_intents(stripe_fake, contract)) == 1
    assert ledger_balanced()
    # And the billing sweep has nothing left to charge again.
    assert weeks_bill_due(now=after(DUE, hours=2))["recharged"] == 0
