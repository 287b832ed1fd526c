import pytest
from django.urls import reverse

from marketplace.core.health import run_readiness_checks
from tests.support.processes import free_port


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_each_dependency(client):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "search"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["redis"]["ok"] is True


@pytest.mark.django_db
def test_readyz_is_503_and_names_redis_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True
    # The reason (it names the host) is for the log and for staff, not for the public.
    assert "127.0.0.1" not in response.content.decode()
    (redis_result,) = (r for r in run_readiness_checks() if r.name == "redis")
    assert "ConnectionError" in redis_result.detail


@pytest.mark.django_db
def test_readyz_treats_an_unused_dependency_as_not_configured(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json()["checks"]["redis"]["ok"] is None


def test_health_probes_refuse_writes(client):
    assert client.post(reverse("healthz")).status_code == 405
    assert client.post(reverse("readyz")).status_code == 405


def test_an_api_path_no_route_matches_answers_json_404(client):
    for path in ("/api/contracts/-1/", "/api/no-such-thing/"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
