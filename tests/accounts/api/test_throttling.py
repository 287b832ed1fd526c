import secrets

from rest_framework.throttling import SimpleRateThrottle


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
