"""PaymentIntents on the fake behave as Stripe documents them, seen through the official library."""

import httpx
import pytest
import stripe

CARD_ONLY = {"payment_method_types": ["card"]}


def pay(client, payment_method: str, **params):
    return client.v1.payment_intents.create(
        params={"amount": 2500, "currency": "usd", "payment_method": payment_method, "confirm": True}
        | CARD_ONLY
        | params
    )


def test_a_successful_card_gives_a_succeeded_intent_with_its_charge(client, fake):
    intent = pay(client, "pm_card_visa", transfer_group="job-1", metadata={"job": "1"})

    assert intent.status == "succeeded"
    assert intent.amount_received == 2500
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert intent.latest_charge.startswith("ch_")
    expanded = client.v1.payment_intents.retrieve(intent.id, params={"expand": ["latest_charge"]})
    charge = expanded.latest_charge
    assert (charge.amount, charge.amount_captured, charge.amount_refunded) == (2500, 2500, 0)
    assert (charge.paid, charge.refunded, charge.status) == (True, False, "succeeded")
    assert charge.payment_intent == intent.id
    assert charge.transfer_group == "job-1"
    assert charge.balance_transaction.startswith("txn_")
    assert charge.payment_method_details.card.last4 == "4242"
    pm = client.v1.payment_methods.retrieve(intent.payment_method)
    assert (pm.card.brand, pm.card.last4) == ("visa", "4242")
    assert pm.id != "pm_card_visa"  # a test id makes a fresh PaymentMethod
    types = [event["type"] for event in fake.events()]
    assert {"payment_intent.created", "charge.succeeded", "payment_intent.succeeded"} <= set(types)


@pytest.mark.parametrize(
    ("payment_method", "decline_code", "message"),
    [
        ("pm_card_chargeDeclined", "generic_decline", "Your card was declined."),
        (
            "pm_card_chargeDeclinedInsufficientFunds",
            "insufficient_funds",
            "Your card has insufficient funds.",
        ),
    ],
)
def test_a_declined_card_answers_402_and_leaves_the_intent_awaiting_a_payment_method(
    client, fake, payment_method, decline_code, message
):
    with pytest.raises(stripe.CardError) as raised:
        pay(client, payment_method)

    error = raised.value
    assert error.http_status == 402
    assert (error.code, error.error.decline_code, error.user_message) == (
        "card_declined",
        decline_code,
        message,
    )
    intent = client.v1.payment_intents.retrieve(error.error.payment_intent["id"])
    assert intent.status == "requires_payment_method"
    assert intent.payment_method is None
    assert intent.last_payment_error.decline_code == decline_code
    assert client.v1.charges.retrieve(intent.latest_charge).status == "failed"
    assert len(fake.events("payment_intent.payment_failed")) == 1


def test_a_card_number_decline_works_through_card_params(fake):
    pm = fake.post(
        "/v1/payment_methods",
        type="card",
        card={"number": "4000000000009995", "exp_month": 12, "exp_year": 2040, "cvc": "123"},
    )
    assert pm["card"]["last4"] == "9995"
    response = fake.http.post(
        "/v1/payment_intents",
        data={
            "amount": "900",
            "currency": "eur",
            "payment_method": pm["id"],
            "confirm": "true",
            "payment_method_types[0]": "card",
        },
        headers={"Authorization": f"Bearer {fake.secret_key}"},
    )
    assert response.status_code == 402
    assert response.json()["error"]["decline_code"] == "insufficient_funds"


@pytest.mark.parametrize(
    "payment_method", ["pm_card_authenticationRequired", "pm_card_threeDSecure2Required"]
)
def test_3ds_requires_action_then_completing_it_succeeds(client, fake, payment_method):
    intent = pay(client, payment_method)
    assert intent.status == "requires_action"
    assert intent.next_action.type == "use_stripe_sdk"
    assert intent.latest_charge is None

    done = fake.authenticate(intent.id, "succeed")

    assert done["status"] == "succeeded"
    assert client.v1.charges.retrieve(done["latest_charge"]).status == "succeeded"
    assert [event["type"] for event in fake.events("payment_intent.requires_action")]


def test_3ds_failed_leaves_the_intent_awaiting_a_payment_method(client, fake):
    intent = pay(client, "pm_card_threeDSecure2Required")

    failed = fake.authenticate(intent.id, "fail")

    assert failed["status"] == "requires_payment_method"
    assert failed["last_payment_error"]["code"] == "payment_intent_authentication_failure"
    assert failed["payment_method"] is None
    # It can be paid again with another card.
    retried = client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert retried.status == "succeeded"


def test_off_session_3ds_answers_authentication_required(client, fake):
    customer = client.v1.customers.create(params={"email": "client@example.com"})
    with pytest.raises(stripe.CardError) as raised:
        pay(client, "pm_card_authenticationRequired", customer=customer.id, off_session=True)

    assert raised.value.code == "authentication_required"
    assert raised.value.error.payment_intent["status"] == "requires_payment_method"


def test_a_saved_card_is_reused_off_session(client, fake):
    customer = client.v1.customers.create(params={"email": "client@example.com"})
    first = pay(
        client,
        "pm_card_authenticationRequiredOnSetup",
        customer=customer.id,
        setup_future_usage="off_session",
    )
    assert first.status == "requires_action"
    assert fake.authenticate(first.id)["status"] == "succeeded"
    saved = client.v1.customers.payment_methods.list(customer.id, params={"type": "card"})
    assert [pm.id for pm in saved.data] == [first.payment_method]
    assert fake.events("payment_method.attached")

    again = pay(client, first.payment_method, customer=customer.id, off_session=True)

    assert again.status == "succeeded"


def test_a_payment_method_used_without_a_customer_cannot_be_used_again(client):
    intent = pay(client, "pm_card_visa")
    with pytest.raises(stripe.InvalidRequestError, match="may not be used again"):
        pay(client, intent.payment_method)


def test_server_side_confirmation_with_automatic_payment_methods_needs_a_return_url(client):
    params = {"amount": 2500, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    with pytest.raises(stripe.InvalidRequestError, match="return_url"):
        client.v1.payment_intents.create(params=params)
    never = {"enabled": True, "allow_redirects": "never"}
    intent = client.v1.payment_intents.create(params=params | {"automatic_payment_methods": never})
    assert intent.status == "succeeded"


def test_the_publishable_key_does_what_stripe_js_does_and_no_more(client, fake):
    intent = client.v1.payment_intents.create(params={"amount": 1500, "currency": "usd"} | CARD_ONLY)
    public = {"Authorization": f"Bearer {fake.publishable_key}"}
    card = {
        "type": "card",
        "card[number]": "4242424242424242",
        "card[exp_month]": "12",
        "card[exp_year]": "2040",
        "card[cvc]": "123",
    }
    pm = fake.http.post("/v1/payment_methods", data=card, headers=public).json()
    confirm_url = f"/v1/payment_intents/{intent.id}/confirm"

    wrong = fake.http.post(
        confirm_url, data={"payment_method": pm["id"], "client_secret": "nope"}, headers=public
    )
    refused = fake.http.post("/v1/customers", data={"email": "a@b.c"}, headers=public)
    confirmed = fake.http.post(
        confirm_url, data={"payment_method": pm["id"], "client_secret": intent.client_secret}, headers=public
    )

    assert wrong.status_code == 400
    assert refused.status_code == 401
    assert confirmed.status_code == 200
    assert confirmed.json()["status"] == "succeeded"
    assert "metadata" not in confirmed.json()  # Stripe.js sees a restricted PaymentIntent


def test_authentication_errors(fake):
    assert fake.http.get("/v1/customers").status_code == 401
    live = fake.http.get("/v1/customers", headers={"Authorization": "Bearer sk_live_abcdef"})
    assert live.status_code == 401
    assert "sk_live_**cdef" in live.json()["error"]["message"]


def test_unknown_parameters_and_bad_amounts_are_refused(client):
    with pytest.raises(stripe.InvalidRequestError) as unknown:
        client.v1.payment_intents.create(params={"amount": 100, "currency": "usd", "colour": "red"})
    with pytest.raises(stripe.InvalidRequestError) as small:
        client.v1.payment_intents.create(params={"amount": 10, "currency": "usd"} | CARD_ONLY)
    with pytest.raises(stripe.InvalidRequestError) as large:
        client.v1.payment_intents.create(params={"amount": 100_000_000, "currency": "usd"} | CARD_ONLY)
    with pytest.raises(stripe.InvalidRequestError) as missing:
        client.v1.payment_intents.retrieve("pi_missing")

    assert unknown.value.code == "parameter_unknown"
    assert small.value.code == "amount_too_small"
    assert (large.value.code, large.value.param) == ("amount_too_large", "amount")
    assert "999,999.99" in large.value.user_message
    assert client.v1.payment_intents.create(params={"amount": 99_999_999, "currency": "usd"} | CARD_ONLY)
    assert (missing.value.http_status, missing.value.code) == (404, "resource_missing")


def test_cancel_and_list(client):
    intent = client.v1.payment_intents.create(params={"amount": 1500, "currency": "usd"} | CARD_ONLY)
    canceled = client.v1.payment_intents.cancel(intent.id, params={"cancellation_reason": "abandoned"})
    assert canceled.status == "canceled"
    with pytest.raises(stripe.InvalidRequestError, match="status of canceled"):
        client.v1.payment_intents.confirm(intent.id, params={"payment_method": "pm_card_visa"})
    assert [item.id for item in client.v1.payment_intents.list().data] == [intent.id]


def test_customer_default_payment_method(client):
    customer = client.v1.customers.create(params={"email": "c@example.com", "name": "C"})
    pm = client.v1.payment_methods.attach("pm_card_mastercard", params={"customer": customer.id})
    updated = client.v1.customers.update(
        customer.id, params={"invoice_settings": {"default_payment_method": pm.id}, "metadata": {"k": "v"}}
    )
    assert updated.invoice_settings.default_payment_method == pm.id
    assert updated.metadata.to_dict() == {"k": "v"}
    assert pm.card.brand == "mastercard"
    listed = client.v1.payment_methods.list(params={"customer": customer.id, "type": "card"})
    assert [item.id for item in listed.data] == [pm.id]
    detached = client.v1.payment_methods.detach(pm.id)
    assert detached.customer is None


def test_stripe_js_is_served(fake):
    response = httpx.get(fake.js_url)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert "confirmCardPayment" in response.text
