"""Events and signed webhook delivery, verified with the official library's ``construct_event``."""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import stripe

from tests.support.fake_stripe import FakeStripe, start_fake_stripe
from tests.support.processes import REPO_ROOT


@dataclass
class Receiver:
    """A tiny HTTP server that records what is POSTed to it and answers ``status``."""

    url: str = ""
    status: int = 200
    received: list[tuple[dict[str, str], str]] = field(default_factory=list)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            receiver.received.append((dict(self.headers.items()), body))
            self.send_response(receiver.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/stripe/"
    yield receiver
    server.shutdown()
    server.server_close()


def verified(receiver: Receiver, secret: str) -> list[stripe.Event]:
    return [
        stripe.Webhook.construct_event(body, headers["Stripe-Signature"], secret)
        for headers, body in receiver.received
    ]


def test_a_registered_endpoint_gets_every_event_signed(client, fake, receiver):
    endpoint = client.v1.webhook_endpoints.create(params={"url": receiver.url, "enabled_events": ["*"]})
    assert endpoint.secret.startswith("whsec_")
    assert "secret" not in client.v1.webhook_endpoints.retrieve(endpoint.id)

    customer = client.v1.customers.create(params={"email": "a@example.com"})
    delivered = fake.flush_webhooks()

    assert delivered == 1
    [event] = verified(receiver, endpoint.secret)
    assert (event.type, event.data.object.id) == ("customer.created", customer.id)
    headers, body = receiver.received[0]
    assert headers["Content-Type"].startswith("application/json")
    assert json.loads(body) == fake.get(f"/v1/events/{event.id}")
    assert event.request.idempotency_key
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            body.replace("a@example.com", "b@example.com"), headers["Stripe-Signature"], endpoint.secret
        )


def test_enabled_events_filter_and_deleted_endpoints_get_nothing(client, fake, receiver):
    endpoint = client.v1.webhook_endpoints.create(
        params={"url": receiver.url, "enabled_events": ["payment_intent.succeeded"]}
    )
    client.v1.payment_intents.create(
        params={
            "amount": 1000,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "payment_method_types": ["card"],
        }
    )
    fake.flush_webhooks()
    assert [event.type for event in verified(receiver, endpoint.secret)] == ["payment_intent.succeeded"]

    client.v1.webhook_endpoints.delete(endpoint.id)
    client.v1.customers.create(params={"email": "a@example.com"})
    assert fake.flush_webhooks() == 0
    assert client.v1.webhook_endpoints.list().data == []


def test_paused_deliveries_wait_and_the_helper_delivers_out_of_order(fake, receiver):
    secret = fake.register_webhook(receiver.url)
    fake.pause_webhooks()
    first = fake.post("/v1/customers", email="first@example.com")
    fake.post("/v1/customers", email="second@example.com")
    assert fake.flush_webhooks() == 0
    assert receiver.received == []

    [newest, oldest] = fake.events("customer.created")
    for event in (newest, oldest, oldest):  # out of order, and once more (a replay)
        assert fake.deliver(event, receiver.url, secret).status_code == 200
    fake.resume_webhooks()

    assert fake.flush_webhooks() == 2
    ids = [event.data.object.id for event in verified(receiver, secret)]
    assert ids[1:3] == [first["id"], first["id"]]
    assert len(ids) == 5


def test_failed_deliveries_are_retried_then_given_up(fake, receiver):
    fake.register_webhook(receiver.url)
    receiver.status = 500
    fake.post("/v1/customers", email="a@example.com")

    assert fake.flush_webhooks() == 0
    log = fake.webhook_deliveries()
    assert [entry["attempt"] for entry in log] == [1, 2, 3, 4]
    assert {entry["status"] for entry in log} == {500}
    assert not any(entry["delivered"] for entry in log)


def test_the_command_line_endpoint_survives_a_reset(receiver):
    log = REPO_ROOT / "artifacts" / "logs" / "fake-stripe-cli-webhook.log"
    with start_fake_stripe(log, webhook_url=receiver.url, webhook_secret="whsec_cli") as fake:
        fake.reset()
        fake.post("/v1/customers", email="a@example.com")
        assert fake.flush_webhooks() == 1
        [event] = verified(receiver, "whsec_cli")
        assert event.type == "customer.created"
        assert event.pending_webhooks == 1


def test_events_list_newest_first_with_type_filter_and_limit(client, fake: FakeStripe):
    for index in range(3):
        client.v1.customers.create(params={"email": f"{index}@example.com"})
    client.v1.payment_intents.create(
        params={"amount": 1000, "currency": "usd", "payment_method_types": ["card"]}
    )

    page = client.v1.events.list(params={"type": "customer.created", "limit": 2})
    everything = fake.events()

    assert [event.data.object.email for event in page.data] == ["2@example.com", "1@example.com"]
    assert page.has_more
    assert everything[0]["type"] == "payment_intent.created"
    assert len(fake.events("customer.*")) == 3
