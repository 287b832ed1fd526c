import secrets

from rest_framework.throttling import SimpleRateThrottle

from tests.factories import make_user


def test_anonymous_api_requests_over_the_limit_get_429_with_a_code(client, db, monkeypatch):
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
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
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "2/min"})
    address = _fresh_address()
    anonymous = [client.get("/api/profiles/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert anonymous == [200, 200, 200, 429]

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "1/min", "user": "3/min"})
    client.force_login(make_user())
    address = _fresh_address()
    logged_in = [client.get("/api/profiles/", REMOTE_ADDR=address).status_code for _ in range(4)]
    assert logged_in == [200, 200, 200, 429]
