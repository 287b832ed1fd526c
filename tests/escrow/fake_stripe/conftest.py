"""The fake Stripe server of the whole test run (``fake_stripe_server``, root conftest), reset before each
test, and the official library pointed at it."""

import pytest

from tests.support.fake_stripe import FakeStripe


@pytest.fixture
def fake(fake_stripe_server: FakeStripe) -> FakeStripe:
    fake_stripe_server.reset()
    return fake_stripe_server


@pytest.fixture
def client(fake: FakeStripe):
    """The official library on the fake, as the project's gateway uses it."""
    return fake.stripe_client()
