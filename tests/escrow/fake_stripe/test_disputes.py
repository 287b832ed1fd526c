"""Disputes on the fake, as Stripe documents them: a chargeback takes the disputed amount and the
dispute fee from the platform balance at once, a won one gives both back, an inquiry takes nothing
until it becomes a chargeback, and each step is an event. The fake keeps them across a restart."""

import pytest
import stripe

from escrow.fake_stripe.disputes import DISPUTE_FEE
from tests.escrow.fake_stripe.test_money_movement import charge
from tests.escrow.fake_stripe.test_persistence import _fake, _paid_intent


def balance(client) -> int:
    return client.v1.balance.retrieve().available[0].amount


def event_types(fake, dispute_id: str) -> list[str]:
    events = reversed(fake.events("charge.dispute.*"))
    return [e["type"] for e in events if e["data"]["object"]["id"] == dispute_id]


def test_a_chargeback_takes_the_amount_and_fee_and_a_won_one_gives_them_back(client, fake):
    paid = charge(client)
    before = balance(client)

    opened = fake.open_dispute(paid.id, reason="fraudulent")
    during = balance(client)
    fake.update_dispute(opened["id"], "under_review")
    won = fake.close_dispute(opened["id"], "won")

    assert opened["id"].startswith("dp_")
    assert (opened["status"], opened["reason"], opened["amount"]) == ("needs_response", "fraudulent", 10_000)
    assert (opened["charge"], opened["payment_intent"]) == (paid.id, paid.payment_intent)
    assert during == before - 10_000 - DISPUTE_FEE
    assert balance(client) == before
    retrieved = client.v1.disputes.retrieve(opened["id"])
    assert retrieved.status == won["status"] == "won"
    assert [(t.amount, t.fee, t.net) for t in retrieved.balance_transactions] == [
        (-10_000, DISPUTE_FEE, -10_000 - DISPUTE_FEE),
        (10_000, -DISPUTE_FEE, 10_000 + DISPUTE_FEE),
    ]
    assert client.v1.charges.retrieve(paid.id).disputed is True
    assert event_types(fake, opened["id"]) == [
        "charge.dispute.created",
        "charge.dispute.funds_withdrawn",
        "charge.dispute.updated",
        "charge.dispute.funds_reinstated",
        "charge.dispute.closed",
    ]


def test_a_lost_chargeback_keeps_the_money_and_the_fee(client, fake):
    paid = charge(client, amount=20_000)
    before = balance(client)
    opened = fake.open_dispute(paid.id, amount=5000)

    lost = client.v1.disputes.close(opened["id"])  # the merchant accepts it

    assert lost.status == "lost"
    assert balance(client) == before - 5000 - DISPUTE_FEE
    assert [d.id for d in client.v1.disputes.list(params={"charge": paid.id}).data] == [opened["id"]]
    with pytest.raises(stripe.InvalidRequestError) as closed:
        client.v1.disputes.close(opened["id"])
    assert closed.value.code == "dispute_already_closed"


def test_an_inquiry_takes_nothing_until_it_becomes_a_chargeback(client, fake):
    paid = charge(client)
    before = balance(client)
    inquiry = fake.open_dispute(paid.id, status="warning_needs_response")
    assert (inquiry["balance_transactions"], balance(client)) == ([], before)

    fake.update_dispute(inquiry["id"], "needs_response")

    assert balance(client) == before - 10_000 - DISPUTE_FEE
    with pytest.raises(AssertionError, match="disputed already"):
        fake.open_dispute(paid.id)


def test_disputes_survive_a_restart(tmp_path):
    state = tmp_path / "fake_stripe.json"
    with _fake(state) as fake:
        intent = _paid_intent(fake)
        opened = fake.open_dispute(intent["latest_charge"])
    with _fake(state) as fake:
        assert fake.get(f"/v1/disputes/{opened['id']}")["status"] == "needs_response"
        assert fake.close_dispute(opened["id"], "won")["status"] == "won"
