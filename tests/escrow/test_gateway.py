"""The gateway answers with its own small frozen types (no Stripe object or dict shape leaves it), read
from the fake Stripe through the official library; and every idempotency key escrow sends is built in
``escrow.idempotency``: its row's name and a random part, so no two rows anywhere share one."""

import collections.abc
import dataclasses
import inspect
import json
import types
import typing
from pathlib import Path

import pytest

from escrow import gateway, idempotency
from escrow.models import Customer, Refund, Transfer
from escrow.services.charges import charge_start, customer_for
from escrow.services.connect import connected_account_for, payout_onboarding_link
from escrow.services.holds import hold_refund, hold_release
from marketplace.core.money import Money
from tests.escrow.builders import fund, milestone_hold
from tests.escrow.money_world import pay_in_browser
from tests.factories import make_client, make_contract, make_freelancer
from tests.support.fake_stripe import sign_payload

ESCROW = Path(__file__).resolve().parents[2] / "escrow"
TYPES = {
    obj
    for obj in vars(gateway).values()
    if inspect.isclass(obj) and dataclasses.is_dataclass(obj) and obj.__module__ == gateway.__name__
}


def _public_calls():
    return [
        (name, fn)
        for name, fn in vars(gateway).items()
        if inspect.isfunction(fn) and fn.__module__ == gateway.__name__ and not name.startswith("_")
    ]


@pytest.mark.parametrize(("name", "fn"), [c for c in _public_calls() if c[0] != "client"])
def test_every_call_answers_with_a_frozen_gateway_type(name, fn):
    answer = typing.get_type_hints(fn)["return"]
    # A list or an iterator of them, or one or None (an object the processor does not have).
    wrapped = typing.get_origin(answer) in (list, collections.abc.Iterator, types.UnionType)
    (inner,) = [arg for arg in typing.get_args(answer) if arg is not type(None)] if wrapped else [answer]
    assert inner in TYPES, f"gateway.{name} answers {answer!r}"
    assert inner.__dataclass_params__.frozen


def test_only_the_gateway_reads_stripe_shapes():
    """The services read the gateway's types; the Stripe payload's keys are spelled only in the gateway."""
    shapes = ('["data"]', '["object"]', '["id"]', '"metadata"', '["client_secret"]', '"latest_charge"')
    readers = [*ESCROW.joinpath("services").glob("*.py"), *(ESCROW / n for n in ("tasks.py", "views.py"))]
    for path in readers:
        text = path.read_text()
        assert not [s for s in shapes if s in text], path


def test_a_paid_payment_intent_reads_as_a_typed_answer(stripe_fake, db):
    payer = make_client()
    created = gateway.create_payment_intent(
        amount_minor=12_345,
        currency="USD",
        customer_id=customer_for(payer),
        transfer_group="group-1",
        description="A test",
        metadata={"hold_id": 7},
        idempotency_key="test-intent-1",
    )
    assert isinstance(created, gateway.PaymentIntent)
    assert (created.amount_minor, created.currency) == (12_345, "USD")
    assert created.status == "requires_payment_method"
    assert created.client_secret.startswith(created.id)
    assert (created.charge_id, created.card, created.last_error) == ("", None, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        created.status = "succeeded"

    pay_in_browser(stripe_fake, created.id, "pm_card_chargeDeclined")
    declined = gateway.retrieve_payment_intent(created.id)
    assert not declined.succeeded
    assert declined.last_error == gateway.PaymentError("card_declined", "Your card was declined.")

    pay_in_browser(stripe_fake, created.id)
    paid = gateway.retrieve_payment_intent(created.id)
    assert paid.succeeded
    assert paid.last_error is None
    assert paid.charge_id == stripe_fake.get(f"/v1/payment_intents/{created.id}")["latest_charge"]
    assert paid.charge_id.startswith("ch_")
    assert (paid.card.brand, paid.card.last4) == ("visa", "4242")
    # The same key answers with the object made the first time.
    again = gateway.create_payment_intent(
        amount_minor=12_345,
        currency="USD",
        customer_id=customer_for(payer),
        transfer_group="group-1",
        description="A test",
        metadata={"hold_id": 7},
        idempotency_key="test-intent-1",
    )
    assert again.id == created.id


def test_saved_cards_accounts_links_and_events_read_as_typed_answers(stripe_fake, db, settings):
    payer, payee = make_client(), make_freelancer()
    stripe_fake.post("/v1/payment_methods/pm_card_mastercard/attach", customer=customer_for(payer))
    [card] = gateway.list_cards(customer_for(payer))
    assert isinstance(card, gateway.Card)
    assert (card.brand, card.last4) == ("mastercard", "4444")
    assert card.id.startswith("pm_")
    assert card.exp == f"{card.exp_month:02d}/{card.exp_year % 100:02d}"

    account = connected_account_for(payee, country="US")
    before = gateway.retrieve_account(account.account_id)
    assert before == gateway.Account(
        id=account.account_id, details_submitted=False, payouts_enabled=False, transfers_active=False
    )
    link = payout_onboarding_link(
        user=payee, country="US", return_url="http://x.invalid/r", refresh_url="http://x.invalid/f"
    )
    assert link.startswith(stripe_fake.url)
    stripe_fake.complete_onboarding(account.account_id)
    after = gateway.retrieve_account(account.account_id)
    assert (after.details_submitted, after.payouts_enabled, after.transfers_active) == (True, True, True)

    settings.STRIPE_WEBHOOK_SECRET = "whsec_test_gateway"
    raw = stripe_fake.events("account.updated")[-1]
    payload = json.dumps(raw)
    event = gateway.parse_webhook(payload.encode(), sign_payload(payload, settings.STRIPE_WEBHOOK_SECRET))
    assert (event.id, event.type, event.object.id) == (raw["id"], "account.updated", account.account_id)
    assert event.payload == raw  # stored as received
    assert gateway.event_from_payload(event.payload) == event


def test_event_objects_carry_our_metadata_as_strings():
    event = gateway.event_from_payload(
        {
            "id": "evt_1",
            "type": "refund.updated",
            "data": {"object": {"id": "re_1", "status": "failed", "metadata": {"refund_id": 5, "x": None}}},
        }
    )
    assert event.object == gateway.EventObject(id="re_1", status="failed", metadata={"refund_id": "5"})
    bare = gateway.event_from_payload({"id": "evt_2", "type": "issuing_cardholder.created", "data": {}})
    assert bare.object == gateway.EventObject(id="")


# --- idempotency keys -------------------------------------------------------------------------------------


KEYS = {
    "customer-user-12": lambda: idempotency.customer_key(12),
    "account-user-12": lambda: idempotency.account_key(12),
    "account-link-3-4": lambda: idempotency.account_link_key(3, 4),
    "charge-hold-41": lambda: idempotency.charge_key(41),
    "transfer-settlement-9": lambda: idempotency.transfer_key(9),
    "transfer-settlement-9-2": lambda: idempotency.transfer_key(9, 2),
    "refund-settlement-9": lambda: idempotency.refund_key(9),
}


@pytest.mark.parametrize("base", KEYS)
def test_a_key_names_its_row_and_is_never_made_twice(base):
    """The same ids make other keys each time (another installation on the same Stripe account, or
    a database restored from a backup, has rows with the same ids)."""
    first, second = KEYS[base](), KEYS[base]()
    assert first != second
    for key in (first, second):
        assert key.startswith(f"{base}.")
        assert len(key) <= 96
        assert idempotency.base_of(key) == base
    rotated = idempotency.rotated(first)
    assert idempotency.base_of(rotated) == base
    assert rotated != first
    # A row stored before keys had a random part keeps its key, and a new key for it keeps its name.
    assert idempotency.base_of("charge-hold-41") == "charge-hold-41"
    assert idempotency.base_of(idempotency.rotated("charge-hold-41")) == "charge-hold-41"


def test_the_same_ids_in_another_installation_make_other_stripe_objects(stripe_fake, db):
    """A restored database (or a second installation) makes a hold with an id the processor has seen:
    its customer and PaymentIntent are new objects, not the other one's replayed."""
    contract = make_contract(milestones=[("Only", 10_000)])
    hold = milestone_hold(contract.milestones.get())
    first = charge_start(hold=hold)
    first_customer = Customer.objects.get(user=contract.client).customer_id
    # The other installation: the same hold and user ids, none of this one's processor rows.
    first.delete()
    Customer.objects.filter(user=contract.client).delete()

    second = charge_start(hold=hold)

    assert second.payment_intent_id != first.payment_intent_id
    assert Customer.objects.get(user=contract.client).customer_id != first_customer
    intents = [pi["id"] for pi in stripe_fake.list("/v1/payment_intents")]
    assert sorted(intents) == sorted([first.payment_intent_id, second.payment_intent_id])


def test_the_services_store_the_keys_of_the_one_module(stripe_fake, db):
    contract = make_contract(milestones=[("Only", 10_000)])
    hold = milestone_hold(contract.milestones.get())
    charge = charge_start(hold=hold)
    base = idempotency.base_of
    assert base(charge.idempotency_key) == f"charge-hold-{hold.pk}"
    customer = Customer.objects.get(user=contract.client)
    assert base(customer.idempotency_key) == f"customer-user-{contract.client_id}"
    account = connected_account_for(contract.freelancer, country="US")
    assert base(account.idempotency_key) == f"account-user-{contract.freelancer_id}"

    other = make_contract(milestones=[("Only", 10_000)])
    other_hold = milestone_hold(other.milestones.get())
    fund(other_hold)
    released = hold_release(hold=other_hold, amount=Money(4_000, "USD"))
    refunded = hold_refund(hold=other_hold)
    transfer = Transfer.objects.get(settlement=released)
    assert base(transfer.idempotency_key) == f"transfer-settlement-{released.pk}"
    assert base(Refund.objects.get(settlement=refunded).idempotency_key) == f"refund-settlement-{refunded.pk}"


def test_no_key_is_spelled_outside_the_idempotency_module():
    for path in ESCROW.rglob("*.py"):
        if "fake_stripe" in path.parts or path.name == "idempotency.py":
            continue
        text = path.read_text()
        for prefix in ("customer-user-", "account-user-", "account-link-", "charge-hold-", "-settlement-"):
            assert prefix not in text, f"{path} builds a {prefix}… key itself"
