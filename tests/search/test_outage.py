"""A search outage never fails a write. The engine is a real Elasticsearch-compatible server
(osmem-server) that the test kills and starts again on the same address: the fault is at the
HTTP level, nothing of ours is replaced. A profile edit succeeds while it is down, its update waits
in the outbox with its attempts and error, ``/readyz`` answers 503 naming "search", staff see it
on /ops/, and once the engine is back the sweep sends it."""

import pytest
from django.urls import reverse
from osmem_server import OsmemServer
from rest_framework.test import APIClient

from search.backends import get_search_backend, reset_search_backends
from search.indexes import index_named
from search.models import PendingIndexUpdate
from search.services.upkeep import pending_sweep
from tests.factories import make_freelancer, make_user
from tests.support.processes import free_port
from tests.support.search_memory import pending_cleared

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def engine_address():
    return f"127.0.0.1:{free_port()}"


@pytest.fixture
def elasticsearch_at(settings, engine_address):
    settings.SEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch.ElasticsearchSearchBackend",
            "OPTIONS": {
                "URL": f"http://{engine_address}",
                "INDEX_PREFIX": "outage",
                "NODE_CLASS": "tests.support.elasticsearch_node.JsonHeadersNode",
            },
        }
    }
    reset_search_backends()
    yield
    reset_search_backends()


def test_a_profile_edit_succeeds_while_the_engine_is_down_and_is_sent_once_it_is_back(
    elasticsearch_at, engine_address, client
):
    engine = OsmemServer.start(japanese=False, addr=engine_address)
    freelancer = make_freelancer()
    profile = freelancer.freelancer_profile
    talent = index_named("talent")
    assert profile.pk in get_search_backend().versions(talent)  # sent after the sign-up's commit
    engine.close()  # the engine dies
    pending_cleared()

    api = APIClient()
    api.force_login(freelancer)
    response = api.patch("/api/me/freelancer-profile/", {"headline": "Written while down"}, format="json")
    assert response.status_code == 200
    row = PendingIndexUpdate.objects.get(index="talent", object_id=profile.pk)
    assert row.attempts == 1
    assert row.last_error

    ready = client.get(reverse("readyz"))
    assert ready.status_code == 503
    assert ready.json()["checks"]["search"]["ok"] is False
    assert ready.json()["checks"]["database"]["ok"] is True

    client.force_login(make_user(staff=True))
    ops = client.get(reverse("frontend:ops")).content.decode()
    search_section = ops[ops.index("data-ops-search") :]
    for shown in ("Failing", "data-search-pending", "1</span>", "Last error", "after 1 attempt"):
        assert shown in search_section

    assert pending_sweep()["talent"].startswith("failed: ")  # the minute's retry, still down
    assert PendingIndexUpdate.objects.get(pk=row.pk).attempts == 2

    engine = OsmemServer.start(japanese=False, addr=engine_address)  # back, empty
    try:
        assert client.get(reverse("readyz")).status_code == 200
        assert pending_sweep() == {"talent": 1}
        assert not PendingIndexUpdate.objects.exists()
        get_search_backend().refresh(talent)
        assert get_search_backend().versions(talent) == {
            profile.pk: talent.documents([profile.pk])[0].version
        }
    finally:
        engine.close()
