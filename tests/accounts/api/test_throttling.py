import secrets

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.factories import make_organisation, make_user
from tests.support.api import make_api_key


def test_anonymous_api_requests_over_the_limit_get_429_with_a_code(client, db, monkeypatch):
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min", "api_key": "1000/min"}
    )
    address = (
        f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"  # a fresh count
    )
    statuses = [client.get("/api/profiles/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/profiles/", REMOTE_ADDR=address)
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def _fresh_address() -> str:
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"


def test_each_limit_counts_only_its_own_kind_of_caller(client, db, monkeypatch):
    """Anonymous requests meet the anonymous limit alone, an account the account limit alone (the
    account limit used to count anonymous requests by address too, so the lower one won)."""
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "2/min", "api_key": "1000/min"}
    )
    address = _fresh_address()
    anonymous = [client.get("/api/profiles/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert anonymous == [200, 200, 200, 429]

    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/min", "user": "3/min", "api_key": "1000/min"}
    )
    client.force_login(make_user())
    address = _fresh_address()
    logged_in = [client.get("/api/profiles/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert logged_in == [200, 200, 200, 429]


NGINX = "172.18.0.9"  # every request behind the compose proxy comes from its address


@pytest.mark.parametrize("trusted_proxies", [0, 1])
def test_a_made_up_x_forwarded_for_does_not_make_a_new_caller(
    client, db, monkeypatch, settings, trusted_proxies
):
    """A fresh random X-Forwarded-For per request used to be a fresh throttle count (DRF used the
    whole header as the address). Now only what our own proxies appended counts: with none, the
    peer's address; with one (nginx), the entry nginx appended after whatever the client sent."""
    settings.TRUSTED_PROXY_COUNT = trusted_proxies
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min", "api_key": "1000/min"}
    )
    client_seen_by_proxy = _fresh_address()
    peer = NGINX if trusted_proxies else client_seen_by_proxy
    statuses = []
    for _ in range(4):
        spoofed = _fresh_address()
        forwarded = f"{spoofed}, {client_seen_by_proxy}" if trusted_proxies else spoofed
        response = client.get("/api/profiles/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
        statuses.append(response.status_code)
    assert statuses == [200, 200, 200, 429]


def test_behind_the_proxy_each_client_has_its_own_count(client, db, monkeypatch, settings):
    """Positive control: with the trusted proxy set, two clients behind nginx do not share a count."""
    settings.TRUSTED_PROXY_COUNT = 1
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "2/min", "api_key": "1000/min"}
    )
    first, second = _fresh_address(), _fresh_address()

    def get(address):
        return client.get("/api/profiles/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=address)

    assert [get(first).status_code for _ in range(3)] == [200, 200, 429]
    assert [get(second).status_code for _ in range(2)] == [200, 200]


KEY_RATES = {"anon": "2/min", "user": "2/min", "api_key": "2/min"}


def _with_key(client, organisation, key, address):
    return client.get(f"/api/organisations/{organisation.slug}/", HTTP_X_API_KEY=key, REMOTE_ADDR=address)


def test_two_api_keys_at_one_address_have_a_budget_each(client, db, monkeypatch):
    """A key used to be throttled as an anonymous caller of its address, sharing that budget with
    every other key and visitor there."""
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", KEY_RATES)
    organisation = make_organisation()
    first, second = make_api_key(organisation), make_api_key(organisation)
    address = _fresh_address()
    assert [_with_key(client, organisation, first, address).status_code for _ in range(3)] == [200, 200, 429]
    assert [_with_key(client, organisation, second, address).status_code for _ in range(2)] == [200, 200]
    # Nor do the keys use up the address's anonymous budget.
    assert client.get("/api/profiles/", REMOTE_ADDR=address).status_code == 200


def test_one_api_key_from_many_addresses_has_one_budget(client, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", KEY_RATES)
    organisation = make_organisation()
    key = make_api_key(organisation)
    statuses = [_with_key(client, organisation, key, _fresh_address()).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
