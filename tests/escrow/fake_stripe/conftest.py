"""One fake Stripe server for this package's tests (started once per session), reset before each test."""

import os
from collections.abc import Iterator

import pytest

from tests.support.fake_stripe import FakeStripe, start_fake_stripe
from tests.support.processes import REPO_ROOT


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[FakeStripe]:
    log = REPO_ROOT / "artifacts" / f"fake-stripe-{os.getpid()}.log"
    with start_fake_stripe(log) as fake:
        yield fake


@pytest.fixture
def fake(fake_stripe_server: FakeStripe) -> FakeStripe:
    fake_stripe_server.reset()
    return fake_stripe_server


@pytest.fixture
def client(fake: FakeStripe):
    """The official library on the fake, as the project's gateway uses it."""
    return fake.stripe_client()
