"""Refunds, Connect onboarding, transfers and reversals on the fake, as Stripe documents them."""

import pytest
import stripe

CARD_ONLY = {"payment_method_types": ["card"]}


def charge(client, amount: int = 10_000, **params):
    intent = client.v1.payment_intents.create(
        params={"amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
        | CARD_ONLY
        | params
    )
    return client.v1.charges.retrieve(intent.latest_charge)


def onboarded_account(client, fake):
    account = client.v1.accounts.create(
        params={
            "type": "express",
            "country": "US",
            "email": "freelancer@example.com",
            "capabilities": {"transfers": {"requested": True}},
        }
    )
    fake.complete_onboarding(account.id)
    return account


def test_partial_refunds_add_up_and_the_last_one_refunds_the_charge(client):
    paid = charge(client)

    first = client.v1.refunds.create(params={"payment_intent": paid.payment_intent, "amount": 3000})
    second = client.v1.refunds.create(
        params={"charge": paid.id, "amount": 2000, "reason": "requested_by_customer"}
    )
    partly = client.v1.charges.retrieve(paid.id)
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.refunds.create(params={"charge": paid.id, "amount": 5001})
    rest = client.v1.refunds.create(params={"charge": paid.id})
    fully = client.v1.charges.retrieve(paid.id)
    with pytest.raises(stripe.InvalidRequestError) as again:
        client.v1.refunds.create(params={"charge": paid.id, "amount": 1})

    assert (first.status, first.amount, second.amount, rest.amount) == ("succeeded", 3000, 2000, 5000)
    assert (partly.amount_refunded, partly.refunded) == (5000, False)
    assert too_much.value.code == "amount_too_large"
    assert str(too_much.value.user_message) == (
        "Refund amount ($50.01) is greater than unrefunded amount on charge ($50.00)"
    )
    assert (fully.amount_refunded, fully.refunded) == (10_000, True)
    assert again.value.code == "charge_already_refunded"
    listed = client.v1.refunds.list(params={"payment_intent": paid.payment_intent})
    assert [refund.id for refund in listed.data] == [rest.id, second.id, first.id]


def test_onboarding_through_an_account_link(client, fake):
    account = client.v1.accounts.create(
        params={
            "type": "express",
            "country": "US",
            "email": "f@example.com",
            "business_type": "individual",
            "capabilities": {"transfers": {"requested": True}, "card_payments": {"requested": True}},
            "metadata": {"user": "7"},
        }
    )
    assert (account.charges_enabled, account.payouts_enabled, account.details_submitted) == (False,) * 3
    assert account.capabilities.to_dict() == {"transfers": "inactive", "card_payments": "inactive"}
    assert account.requirements.currently_due
    link = client.v1.account_links.create(
        params={
            "account": account.id,
            "refresh_url": "http://app.test/refresh",
            "return_url": "http://app.test/return",
            "type": "account_onboarding",
        }
    )
    assert link.url.startswith(f"{fake.url}/_fake/onboarding/")

    opened = fake.http.get(link.url)
    reopened = fake.http.get(link.url)

    assert (opened.status_code, opened.headers["location"]) == (302, "http://app.test/return")
    assert reopened.headers["location"] == "http://app.test/refresh"
    done = client.v1.accounts.retrieve(account.id)
    assert (done.charges_enabled, done.payouts_enabled, done.details_submitted) == (True,) * 3
    assert done.capabilities.transfers == "active"
    assert done.requirements.currently_due == []
    [event] = fake.events("account.updated")
    assert event["data"]["object"]["id"] == account.id
    assert event["data"]["previous_attributes"]["payouts_enabled"] is False


def test_payouts_can_be_disabled_by_the_fake(client, fake):
    account = onboarded_account(client, fake)
    fake.disable_payouts(account.id)
    assert client.v1.accounts.retrieve(account.id).payouts_enabled is False
    assert len(fake.events("account.updated")) == 2


def test_transfers_to_accounts_that_are_missing_or_not_onboarded_are_refused(client):
    paid = charge(client)
    account = client.v1.accounts.create(
        params={"type": "express", "capabilities": {"transfers": {"requested": True}}}
    )
    base = {"amount": 1000, "currency": "usd", "source_transaction": paid.id}
    with pytest.raises(stripe.InvalidRequestError) as not_onboarded:
        client.v1.transfers.create(params=base | {"destination": account.id})
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.transfers.create(params=base | {"destination": "acct_missing"})

    assert not_onboarded.value.code == "insufficient_capabilities_for_transfer"
    assert (missing.value.code, missing.value.param) == ("resource_missing", "destination")


def test_transfers_from_a_charge_are_limited_to_what_it_has_left(client, fake):
    account = onboarded_account(client, fake)
    paid = charge(client, transfer_group="job-9")
    client.v1.refunds.create(params={"charge": paid.id, "amount": 1000})
    base = {
        "currency": "usd",
        "destination": account.id,
        "source_transaction": paid.id,
        "transfer_group": "job-9",
    }

    first = client.v1.transfers.create(params=base | {"amount": 6000, "metadata": {"milestone": "1"}})
    with pytest.raises(stripe.InvalidRequestError) as too_much:
        client.v1.transfers.create(params=base | {"amount": 3001})
    with pytest.raises(stripe.InvalidRequestError) as wrong_currency:
        client.v1.transfers.create(params=base | {"amount": 100, "currency": "eur"})
    second = client.v1.transfers.create(params=base | {"amount": 3000})

    assert (first.amount, first.source_transaction, first.transfer_group) == (6000, paid.id, "job-9")
    assert first.destination_payment.startswith("py_")
    assert too_much.value.code == "balance_insufficient"
    assert wrong_currency.value.param == "currency"
    grouped = client.v1.transfers.list(params={"transfer_group": "job-9"})
    assert [transfer.id for transfer in grouped.data] == [second.id, first.id]
    assert fake.list("/v1/transfers", destination=account.id)[0]["id"] == second.id
    assert len(fake.events("transfer.created")) == 2


def test_reversals_add_up_and_give_the_charge_back_what_they_reverse(client, fake):
    account = onboarded_account(client, fake)
    paid = charge(client, amount=5000)
    transfer = client.v1.transfers.create(
        params={"amount": 5000, "currency": "usd", "destination": account.id, "source_transaction": paid.id}
    )

    partial = client.v1.transfers.reversals.create(transfer.id, params={"amount": 2000})
    with pytest.raises(stripe.InvalidRequestError):
        client.v1.transfers.reversals.create(transfer.id, params={"amount": 3001})
    after_partial = client.v1.transfers.retrieve(transfer.id)
    again = client.v1.transfers.create(
        params={"amount": 2000, "currency": "usd", "destination": account.id, "source_transaction": paid.id}
    )
    rest = client.v1.transfers.reversals.create(transfer.id)
    fully = client.v1.transfers.retrieve(transfer.id)

    assert partial.id.startswith("trr_")
    assert partial.transfer == transfer.id
    assert (after_partial.amount_reversed, after_partial.reversed) == (2000, False)
    assert again.amount == 2000
    assert rest.amount == 3000
    assert (fully.amount_reversed, fully.reversed) == (5000, True)
    assert [item.id for item in fully.reversals.data] == [rest.id, partial.id]
    assert len(fake.events("transfer.reversed")) == 2


def test_refunding_what_was_transferred_is_allowed_as_on_stripe(client, fake):
    account = onboarded_account(client, fake)
    paid = charge(client, amount=5000)
    client.v1.transfers.create(
        params={"amount": 5000, "currency": "usd", "destination": account.id, "source_transaction": paid.id}
    )
    refund = client.v1.refunds.create(params={"charge": paid.id})
    assert refund.amount == 5000
