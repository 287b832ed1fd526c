"""The charge side's recovery, through the real services and the fake Stripe (faults injected over
HTTP): a PaymentIntent cancelled at Stripe is replaced, never handed out again; a request Stripe
answered with a 500 (which it keeps under the key) is looked up, else made again under a new key;
a key still in use is repeated as it is; the processor's fee is booked as the platform's cost; and
every call pins the configured API version."""

import json
import threading
import time

import pytest

from escrow import gateway, idempotency
from escrow.models import Charge, Customer, LedgerAccount, LedgerTransaction, WebhookEvent
from escrow.services.charges import charge_start, charge_sync
from escrow.services.webhooks import webhook_process, webhook_receive
from marketplace.core.exceptions import DependencyUnavailable
from tests.escrow.builders import milestone_hold
from tests.escrow.money_world import ledger_sum, pay_in_browser
from tests.factories import make_contract
from tests.support.fake_stripe import sign_payload

Kind = LedgerAccount.Kind


def _hold(amount: int = 10_000):
    contract = make_contract(milestones=[("Only", amount)])
    return milestone_hold(contract.milestones.get())


def _cancel(fake, payment_intent_id: str) -> None:
    fake.post(f"/v1/payment_intents/{payment_intent_id}/cancel", cancellation_reason="abandoned")


def _receive(fake, settings, event: dict) -> WebhookEvent:
    """Our endpoint's two steps for one of the fake's events: stored (signature checked), processed."""
    payload = json.dumps(event)
    row, _ = webhook_receive(
        payload=payload.encode(), signature=sign_payload(payload, settings.STRIPE_WEBHOOK_SECRET)
    )
    webhook_process(row_id=row.pk)
    return row


# --- a PaymentIntent cancelled at Stripe --------------------------------------------------------------


def test_a_cancelled_payment_intent_is_replaced_when_its_event_arrives(stripe_fake, db, settings):
    hold = _hold()
    dead = charge_start(hold=hold)
    _cancel(stripe_fake, dead.payment_intent_id)

    (event,) = stripe_fake.events("payment_intent.canceled")
    _receive(stripe_fake, settings, event)

    dead.refresh_from_db()
    assert dead.status == Charge.Status.CANCELED
    fresh = charge_start(hold=hold)
    assert fresh.pk != dead.pk
    assert fresh.payment_intent_id != dead.payment_intent_id
    assert fresh.status == Charge.Status.OPEN
    pay_in_browser(stripe_fake, fresh.payment_intent_id)
    assert charge_sync(payment_intent_id=fresh.payment_intent_id).status == Charge.Status.SUCCEEDED
    hold.refresh_from_db()
    assert hold.status == hold.Status.FUNDED


def test_a_cancelled_payment_intent_is_never_handed_out_again_without_its_event(stripe_fake, db):
    """The event is late or lost: asking for the payment again reads the PaymentIntent first."""
    hold = _hold()
    dead = charge_start(hold=hold)
    _cancel(stripe_fake, dead.payment_intent_id)

    fresh = charge_start(hold=hold)

    assert fresh.payment_intent_id != dead.payment_intent_id
    assert stripe_fake.get(f"/v1/payment_intents/{fresh.payment_intent_id}")["status"] == (
        "requires_payment_method"
    )
    dead.refresh_from_db()
    assert dead.status == Charge.Status.CANCELED
    assert charge_start(hold=hold).pk == fresh.pk  # a live one is handed out as before


def test_confirming_a_cancelled_payment_intent_says_so_and_the_next_start_is_fresh(stripe_fake, db):
    hold = _hold()
    dead = charge_start(hold=hold)
    _cancel(stripe_fake, dead.payment_intent_id)

    synced = charge_sync(payment_intent_id=dead.payment_intent_id)

    assert synced.status == Charge.Status.CANCELED
    assert charge_start(hold=hold).payment_intent_id != dead.payment_intent_id


# --- a 500, which Stripe keeps under the key ---------------------------------------------------------


def test_a_500_before_anything_was_made_moves_the_charge_to_a_new_key(stripe_fake, db):
    hold = _hold()
    charge_start(hold=hold)  # the customer exists; the next PaymentIntent is what fails
    Charge.objects.filter(hold=hold).update(status=Charge.Status.CANCELED)
    stripe_fake.inject_fault("POST", "/v1/payment_intents", "error")

    with pytest.raises(DependencyUnavailable, match="nothing was charged"):
        charge_start(hold=hold)

    charge = Charge.objects.get(hold=hold, status=Charge.Status.CREATING)
    # Repeating the key is no use (Stripe answers the kept 500): the retry goes out under a new one.
    again = charge_start(hold=hold)
    assert again.pk == charge.pk
    assert again.status == Charge.Status.OPEN
    assert idempotency.base_of(again.idempotency_key) == f"charge-hold-{hold.pk}"
    (made,) = [pi for pi in stripe_fake.list("/v1/payment_intents") if pi["id"] == again.payment_intent_id]
    assert made["metadata"]["idempotency_key"] == again.idempotency_key
    assert len(stripe_fake.list("/v1/payment_intents")) == 2  # the first hold's one, and this


def test_a_500_after_the_payment_intent_was_made_finds_it_and_makes_no_second(stripe_fake, db):
    hold = _hold()
    stripe_fake.inject_fault("POST", "/v1/payment_intents", "error_after")

    charge = charge_start(hold=hold)

    (made,) = stripe_fake.list("/v1/payment_intents")
    assert (charge.status, charge.payment_intent_id) == (Charge.Status.OPEN, made["id"])
    assert made["metadata"]["idempotency_key"] == charge.idempotency_key


def test_a_500_for_the_customer_is_looked_up_then_made_under_a_new_key(stripe_fake, db):
    hold = _hold()
    stripe_fake.inject_fault("POST", "/v1/customers", "error")
    with pytest.raises(DependencyUnavailable):
        charge_start(hold=hold)

    charge_start(hold=hold)

    customer = Customer.objects.get(user=hold.payer)
    (made,) = stripe_fake.list("/v1/customers")
    assert made["id"] == customer.customer_id
    assert made["metadata"]["idempotency_key"] == customer.idempotency_key


def test_a_key_in_use_is_repeated_as_it_is(stripe_fake, db):
    """409 ``idempotency_key_in_use``: the first request is still running, so the same key later
    gets its answer; it is not a 500 to look up or move away from."""
    stripe_fake.inject_fault("POST", "/v1/customers", "slow", delay=1.5)
    key = idempotency.customer_key(1)
    create = {"email": "busy@example.com", "name": "Busy", "metadata": {}, "idempotency_key": key}
    first = threading.Thread(target=lambda: gateway.create_customer(**create))
    first.start()
    time.sleep(0.5)
    with pytest.raises(gateway.ProcessorUnavailable) as busy:
        gateway.create_customer(**create)
    first.join()

    assert not isinstance(busy.value, gateway.ProcessorFailed)
    assert "in-progress request" in busy.value.message
    assert len(stripe_fake.list("/v1/customers")) == 1
    assert gateway.create_customer(**create).id == stripe_fake.list("/v1/customers")[0]["id"]


# --- the processor's fee, and the API version --------------------------------------------------------


def test_the_processor_fee_is_the_platforms_cost_in_the_ledger(stripe_fake, db):
    hold = _hold(60_000)  # charged 63,000 with the 5 % client fee
    charge = charge_start(hold=hold)
    pay_in_browser(stripe_fake, charge.payment_intent_id)

    charge_sync(payment_intent_id=charge.payment_intent_id)
    charge_sync(payment_intent_id=charge.payment_intent_id)  # a repeat books nothing twice

    stripe_charge = stripe_fake.get(f"/v1/charges/{Charge.objects.get(pk=charge.pk).charge_id}")
    txn = stripe_fake.get(f"/v1/balance_transactions/{stripe_charge['balance_transaction']}")
    assert txn["fee"] == round(63_000 * 0.029) + 30
    (posting,) = LedgerTransaction.objects.filter(kind=LedgerTransaction.Kind.PROCESSOR_FEE)
    assert (posting.hold_id, posting.external_id) == (hold.pk, txn["id"])
    assert ledger_sum(Kind.PROCESSOR_FEES) == -txn["fee"]
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == txn["fee"]
    assert ledger_sum(Kind.PLATFORM_REVENUE) == 0  # fees are earned when the money is released


def test_every_call_pins_the_configured_api_version(stripe_fake, db, settings):
    settings.STRIPE_API_VERSION = "2025-03-31.basil"
    hold = _hold()

    charge_start(hold=hold)

    (created,) = stripe_fake.events("payment_intent.created")
    assert created["api_version"] == "2025-03-31.basil"
