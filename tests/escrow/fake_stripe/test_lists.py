"""Lists on the fake as Stripe pages them: newest first, ``limit`` and ``starting_after``, the
``created`` filter (a timestamp or its ``gt``/``gte``/``lt``/``lte`` bounds) on every list the
reconciliation reads, and the control endpoints that change or forget a stored object."""

import time

import pytest
import stripe

CARD_ONLY = {"payment_method_types": ["card"]}
LISTS = ["payment_intents", "charges", "refunds", "transfers", "balance_transactions"]


def _paid(client, amount: int):
    intent = client.v1.payment_intents.create(
        params={"amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
        | CARD_ONLY
    )
    return intent


def _money(client, fake):
    """Two payments, a refund of one, and a transfer: something in each list."""
    account = client.v1.accounts.create(
        params={"type": "express", "country": "US", "capabilities": {"transfers": {"requested": True}}}
    )
    fake.complete_onboarding(account.id)
    first, second = _paid(client, 5000), _paid(client, 7000)
    client.v1.refunds.create(params={"payment_intent": first.id, "amount": 1000})
    client.v1.transfers.create(params={"amount": 2000, "currency": "usd", "destination": account.id})
    return first, second


@pytest.mark.parametrize("name", LISTS)
def test_every_list_pages_through_everything_newest_first(client, fake, name):
    _money(client, fake)
    service = getattr(client.v1, name)
    everything = [item.id for item in service.list(params={"limit": 100}).data]
    paged = [item.id for item in service.list(params={"limit": 1}).auto_paging_iter()]
    assert paged == everything
    assert everything
    created = [item.created for item in service.list(params={"limit": 100}).data]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize("name", LISTS)
def test_every_list_filters_by_created(client, fake, name):
    _money(client, fake)
    service = getattr(client.v1, name)
    now = int(time.time())
    assert service.list(params={"created": {"gte": now + 60}}).data == []
    assert service.list(params={"created": {"lt": now - 60}}).data == []
    window = {"gte": now - 60, "lte": now + 60}
    assert len(service.list(params={"created": window}).data) == len(service.list().data)


def test_created_bounds_select_by_time_and_refuse_what_is_not_a_time(client, fake):
    first, second = _money(client, fake)
    fake.tamper(first.id, created=1_000)
    fake.tamper(second.id, created=2_000)
    intents = client.v1.payment_intents

    def ids(created):
        return {item.id for item in intents.list(params={"created": created}).data}

    assert ids({"gt": 1_000, "lte": 2_000}) == {second.id}
    assert ids({"gte": 1_000, "lt": 2_000}) == {first.id}
    assert ids(2_000) == {second.id}
    with pytest.raises(stripe.InvalidRequestError) as refused:
        intents.list(params={"created": {"gte": "yesterday"}})
    assert refused.value.user_message == "Invalid integer: yesterday"


def test_balance_transactions_list_by_type_and_source(client, fake):
    first, _second = _money(client, fake)
    charge = client.v1.charges.retrieve(first.latest_charge)
    (txn,) = client.v1.balance_transactions.list(params={"source": charge.id}).data
    assert (txn.type, txn.amount, txn.fee) == ("charge", 5000, 175)
    types = {t.type for t in client.v1.balance_transactions.list(params={"limit": 100}).data}
    assert types == {"charge", "refund", "transfer"}
    refunds = client.v1.balance_transactions.list(params={"type": "refund"}).data
    assert [t.amount for t in refunds] == [-1000]


def test_a_changed_or_forgotten_object(client, fake):
    first, second = _money(client, fake)
    assert fake.tamper(first.id, amount=4000)["amount"] == 4000
    assert client.v1.payment_intents.retrieve(first.id).amount == 4000
    fake.forget(first.id)
    with pytest.raises(stripe.InvalidRequestError) as gone:
        client.v1.payment_intents.retrieve(first.id)
    assert gone.value.code == "resource_missing"
    assert first.id not in {pi.id for pi in client.v1.payment_intents.list().data}
    for call in (lambda: fake.tamper(first.id, amount=1), lambda: fake.forget(first.id)):
        with pytest.raises(AssertionError, match="404"):
            call()
    with pytest.raises(AssertionError, match="cannot be set"):
        fake.tamper(second.id, id="pi_other")
