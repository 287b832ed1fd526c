"""The fake keeps its objects in a JSON file when given one (``--state``; the embedded default's is
``$MARKETPLACE_DATA_DIR/fake_stripe.json``): money paid before a restart can be transferred and
refunded after it, an idempotency key replays, lists keep their order, and a file that does not read
is set aside rather than stopping the fake."""

import threading
from contextlib import contextmanager

import httpx

from escrow.fake_stripe.server import make_server
from tests.support.fake_stripe import FakeStripe
from tests.support.processes import free_port


@contextmanager
def _fake(state_path):
    server = make_server("127.0.0.1", free_port(), state_path=state_path)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake = FakeStripe(f"http://127.0.0.1:{server.server_address[1]}")
    try:
        yield fake
    finally:
        fake.close()
        server.shutdown()
        server.server_close()


def _paid_intent(fake: FakeStripe) -> dict:
    customer = fake.post("/v1/customers", email="client@example.com")
    intent = fake.post(
        "/v1/payment_intents",
        amount=105_000,
        currency="usd",
        customer=customer["id"],
        transfer_group="contract-1",
    )
    fake.http.post(
        f"/v1/payment_intents/{intent['id']}/confirm",
        data={"payment_method": "pm_card_visa", "client_secret": intent["client_secret"]},
        headers={"Authorization": f"Bearer {fake.publishable_key}"},
    )
    return fake.get(f"/v1/payment_intents/{intent['id']}")


def test_money_paid_before_a_restart_moves_after_it(tmp_path):
    state = tmp_path / "fake_stripe.json"
    with _fake(state) as fake:
        intent = _paid_intent(fake)
        assert intent["status"] == "succeeded"
        account = fake.post("/v1/accounts", type="express", country="US", email="freelancer@example.com")
        fake.complete_onboarding(account["id"])
        first = fake.http.post(
            "/v1/refunds",
            data={"payment_intent": intent["id"], "amount": "5000"},
            headers={"Authorization": f"Bearer {fake.secret_key}", "Idempotency-Key": "refund-1"},
        ).json()
    assert state.exists()

    with _fake(state) as fake:
        assert fake.get(f"/v1/payment_intents/{intent['id']}")["status"] == "succeeded"
        assert fake.get(f"/v1/accounts/{account['id']}")["payouts_enabled"] is True
        transfer = fake.post(
            "/v1/transfers",
            amount=90_000,
            currency="usd",
            destination=account["id"],
            source_transaction=intent["latest_charge"],
        )
        assert transfer["source_transaction"] == intent["latest_charge"]
        # The same idempotency key answers with the same refund, not a second one.
        again = fake.http.post(
            "/v1/refunds",
            data={"payment_intent": intent["id"], "amount": "5000"},
            headers={"Authorization": f"Bearer {fake.secret_key}", "Idempotency-Key": "refund-1"},
        )
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.json()["id"] == first["id"]
        assert [r["id"] for r in fake.list("/v1/refunds")] == [first["id"]]
        # Objects made after the restart list before the ones made before it (newest first).
        customers = fake.list("/v1/customers")
        newer = fake.post("/v1/customers", email="second@example.com")
        assert [c["id"] for c in fake.list("/v1/customers")] == [newer["id"], *(c["id"] for c in customers)]


def test_a_state_file_that_does_not_read_is_set_aside(tmp_path):
    state = tmp_path / "fake_stripe.json"
    state.write_text("{not json")
    with _fake(state) as fake:
        assert fake.list("/v1/customers") == []
        fake.post("/v1/customers", email="client@example.com")
    assert (tmp_path / "fake_stripe.json.bad").read_text() == "{not json"
    with _fake(state) as fake:
        assert len(fake.list("/v1/customers")) == 1


def test_without_a_state_file_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with _fake(None) as fake:
        fake.post("/v1/customers", email="client@example.com")
    assert list(tmp_path.iterdir()) == []


def test_requests_at_the_same_moment_all_land_in_the_file(tmp_path):
    """Threads meet at a barrier and create customers at once: every request succeeds and the file
    read at the next start holds every customer (no write lost to an older snapshot or a raced
    temporary file)."""
    state = tmp_path / "fake_stripe.json"
    threads, each = 8, 10
    barrier = threading.Barrier(threads)
    statuses: list[int] = []

    with _fake(state) as fake:

        def create() -> None:
            with httpx.Client(base_url=fake.url, timeout=30) as http:
                barrier.wait()
                for n in range(each):
                    response = http.post(
                        "/v1/customers", data={"email": f"c{n}@example.com"}, headers=fake._headers()
                    )
                    statuses.append(response.status_code)

        workers = [threading.Thread(target=create) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    assert statuses == [200] * (threads * each)
    with _fake(state) as fake:
        assert len(fake.list("/v1/customers")) == threads * each
