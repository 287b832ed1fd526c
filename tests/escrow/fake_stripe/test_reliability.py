"""Idempotency keys, injected faults, reset and CORS on the fake."""

import threading
import time

import httpx
import pytest
import stripe

from tests.support.fake_stripe import FakeStripe

INTENT = {"amount": 2000, "currency": "usd", "payment_method_types": ["card"]}


def post(fake: FakeStripe, path: str, data: dict, key: str):
    headers = {"Authorization": f"Bearer {fake.secret_key}", "Idempotency-Key": key}
    return fake.http.post(path, data=data, headers=headers)


def test_a_replayed_key_answers_the_same_bytes_without_a_new_object_or_event(fake):
    data = {
        "amount": "2000",
        "currency": "usd",
        "payment_method": "pm_card_visa",
        "confirm": "true",
        "payment_method_types[0]": "card",
    }
    first = post(fake, "/v1/payment_intents", data, "order-1")
    replay = post(fake, "/v1/payment_intents", data, "order-1")

    assert first.status_code == replay.status_code == 200
    assert replay.content == first.content
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert len(fake.list("/v1/payment_intents")) == 1
    assert len(fake.events("payment_intent.succeeded")) == 1


def test_a_declined_payment_is_replayed_too(fake):
    data = {
        "amount": "2000",
        "currency": "usd",
        "payment_method": "pm_card_chargeDeclined",
        "confirm": "true",
        "payment_method_types[0]": "card",
    }
    first = post(fake, "/v1/payment_intents", data, "declined-1")
    replay = post(fake, "/v1/payment_intents", data, "declined-1")
    assert first.status_code == replay.status_code == 402
    assert replay.content == first.content
    assert len(fake.list("/v1/payment_intents")) == 1


def test_a_key_reused_with_other_parameters_is_an_idempotency_error(client):
    client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "k"})
    with pytest.raises(stripe.IdempotencyError, match="same parameters"):
        client.v1.customers.create(params={"email": "b@example.com"}, options={"idempotency_key": "k"})
    with pytest.raises(stripe.IdempotencyError, match="same endpoint"):
        client.v1.payment_intents.create(params=INTENT, options={"idempotency_key": "k"})


def test_an_injected_error_executes_nothing(client, fake):
    fake.inject_fault("POST", "/v1/payment_intents", "error")
    with pytest.raises(stripe.APIError):
        client.v1.payment_intents.create(params=INTENT)
    assert fake.list("/v1/payment_intents") == []
    assert client.v1.payment_intents.create(params=INTENT).status == "requires_payment_method"


def test_an_injected_timeout_executes_nothing(client, fake):
    fake.inject_fault("POST", "/v1/payment_intents", "timeout", delay=0.2)
    with pytest.raises(stripe.APIError):
        client.v1.payment_intents.create(params=INTENT)
    assert fake.list("/v1/payment_intents") == []


# stripe-python's HTTPXClient posts a str as ``data=``, which httpx deprecates.
@pytest.mark.filterwarnings("ignore:Use 'content=<...>':DeprecationWarning")
@pytest.mark.parametrize(
    "http_client",
    [
        lambda: stripe.HTTPXClient(timeout=0.5, allow_sync_methods=True),
        lambda: stripe.RequestsClient(timeout=0.5),
    ],
    ids=["httpx", "requests"],
)
def test_a_late_answer_is_a_client_timeout_and_the_retry_gets_the_object_created_once(fake, http_client):
    impatient = fake.stripe_client(http_client=http_client())
    fake.inject_fault("POST", "/v1/payment_intents/*/confirm", "timeout_after", delay=1.5)
    intent = impatient.v1.payment_intents.create(params=INTENT)
    options = {"idempotency_key": "confirm-1"}
    confirm = {"payment_method": "pm_card_visa"}

    with pytest.raises(stripe.APIConnectionError):
        impatient.v1.payment_intents.confirm(intent.id, params=confirm, options=options)
    retried = impatient.v1.payment_intents.confirm(intent.id, params=confirm, options=options)

    assert retried.status == "succeeded"
    assert retried.last_response.headers["Idempotent-Replayed"] == "true"
    assert len(fake.list("/v1/charges")) == 1
    assert len(fake.events("payment_intent.succeeded")) == 1


def test_a_dropped_connection_executes_nothing(client, fake):
    fake.inject_fault("POST", "/v1/transfers*", "disconnect")
    with pytest.raises(stripe.APIConnectionError):
        client.v1.transfers.create(params={"amount": 100, "currency": "usd", "destination": "acct_x"})
    assert fake.events() == []


def test_faults_count_down_and_can_be_cleared(client, fake):
    fake.inject_fault("GET", "/v1/customers", "error", count=2)
    for _ in range(2):
        with pytest.raises(stripe.APIError):
            client.v1.customers.list()
    assert client.v1.customers.list().data == []
    fake.inject_fault("*", "/v1/customers", "error", count=5)
    fake.clear_faults()
    assert client.v1.customers.list().data == []


def test_reset_forgets_objects_events_and_keys(client, fake):
    customer = client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "r"})
    fake.reset()
    assert fake.list("/v1/customers") == []
    assert fake.events() == []
    again = client.v1.customers.create(params={"email": "a@example.com"}, options={"idempotency_key": "r"})
    assert again.id != customer.id


def test_cors_preflight(fake):
    response = fake.http.options(
        "/v1/payment_intents/pi_1/confirm",
        headers={
            "Origin": "http://localhost:8000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert fake.http.get("/_fake/health").headers["Access-Control-Allow-Origin"] == "*"


def test_requests_are_served_concurrently(fake):
    """A request held by the server for 5 s does not hold the next one up: the second is answered
    while the first is still waiting (a server taking one request at a time would answer it only
    after the first's answer)."""
    fake.inject_fault("GET", "/v1/balance", "timeout_after", delay=5)
    headers = {"Authorization": f"Bearer {fake.secret_key}"}
    slow = threading.Thread(
        target=httpx.get, args=(f"{fake.url}/v1/balance",), kwargs={"headers": headers, "timeout": 30}
    )
    slow.start()
    while fake.http.get("/_fake/faults").json()["data"]:  # until the slow request took the fault
        time.sleep(0.01)
    assert fake.get("/v1/balance")["object"] == "balance"
    assert slow.is_alive()
    slow.join()


def test_an_injected_error_is_saved_under_its_key_and_replayed(fake):
    """Stripe keeps a request's 500 under its idempotency key: the same key answers it again, a new
    key is a new request."""
    fake.inject_fault("POST", "/v1/payment_intents", "error")
    data = {"amount": "2000", "currency": "usd", "payment_method_types[0]": "card"}
    first = post(fake, "/v1/payment_intents", data, "made-once")
    again = post(fake, "/v1/payment_intents", data, "made-once")

    assert first.status_code == again.status_code == 500
    assert again.content == first.content
    assert again.headers["Idempotent-Replayed"] == "true"
    assert fake.list("/v1/payment_intents") == []
    assert post(fake, "/v1/payment_intents", data, "made-twice").status_code == 200


def test_a_key_in_use_by_a_request_in_flight_is_a_409(fake):
    """A second request with a key whose first request has not answered yet: 409
    ``idempotency_key_in_use`` (nothing saved for it); once the first answered, its answer replays."""
    fake.inject_fault("POST", "/v1/customers", "slow", delay=1.0)
    answers = {}
    first = threading.Thread(
        target=lambda: answers.setdefault("first", post(fake, "/v1/customers", {"email": "a@x.io"}, "busy"))
    )
    first.start()
    time.sleep(0.4)
    second = post(fake, "/v1/customers", {"email": "a@x.io"}, "busy")
    first.join()

    assert second.status_code == 409
    assert second.json()["error"]["type"] == "idempotency_error"
    assert second.json()["error"]["code"] == "idempotency_key_in_use"
    assert answers["first"].status_code == 200
    replay = post(fake, "/v1/customers", {"email": "a@x.io"}, "busy")
    assert replay.content == answers["first"].content
    assert len(fake.list("/v1/customers")) == 1
