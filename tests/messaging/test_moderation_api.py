"""Reports and blocks over the API: clear 4xx with a code for every refusal, nothing stored; the
blocks list costs the same at 1 and 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import Block, Report
from tests.factories import make_client, make_freelancer, make_organisation
from tests.messaging.conversation_rows import client_freelancer_chat
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat():
    return client_freelancer_chat("venmo me @finn", ["payment_handle"])


def test_report_each_kind(chat):
    client, freelancer, job, message = chat
    api = as_user(client)
    body = api.post("/api/reports/", {"message": message.pk, "reason": "off_platform"}, format="json")
    assert body.status_code == 201, body.content
    assert body.json()["target"] == {"kind": "message", "id": str(message.pk)}
    assert body.json()["status"] == "open"
    handle = freelancer.freelancer_profile.handle
    body = api.post("/api/reports/", {"profile": handle, "reason": "spam", "details": "Ads"}, format="json")
    assert body.json()["target"] == {"kind": "profile", "id": handle}
    body = as_user(freelancer).post("/api/reports/", {"job": job.pk, "reason": "scam"}, format="json")
    assert body.json()["target"] == {"kind": "job", "id": str(job.pk)}
    assert Report.objects.count() == 3


def test_report_refusals_store_nothing(chat):
    client, _freelancer, job, message = chat
    api = as_user(client)
    assert_error(api.post("/api/reports/", {"reason": "spam"}, format="json"), 400, "one_target")
    assert_error(
        api.post("/api/reports/", {"message": message.pk, "job": job.pk, "reason": "spam"}, format="json"),
        400,
        "one_target",
    )
    error = assert_error(
        api.post("/api/reports/", {"message": message.pk, "reason": "x"}, format="json"), 400, "invalid"
    )
    assert "reason" in error["fields"]
    assert_error(
        api.post("/api/reports/", {"job": job.pk, "reason": "spam"}, format="json"), 400, "cannot_report_own"
    )
    outsider = as_user(make_freelancer())
    assert_error(
        outsider.post("/api/reports/", {"message": message.pk, "reason": "spam"}, format="json"),
        404,
        "message_not_found",
    )
    assert_error(
        outsider.post("/api/reports/", {"job": 10**9, "reason": "spam"}, format="json"), 404, "job_not_found"
    )
    assert_error(
        as_user(None).post("/api/reports/", {"job": job.pk, "reason": "spam"}, format="json"),
        403,
        "not_authenticated",
    )
    key = with_key(as_user(None), make_api_key(make_organisation()))
    assert_error(
        key.post("/api/reports/", {"job": job.pk, "reason": "spam"}, format="json"),
        403,
        "api_key_not_allowed",
    )
    assert not Report.objects.exists()
    api.post("/api/reports/", {"message": message.pk, "reason": "spam"}, format="json")
    assert_error(
        api.post("/api/reports/", {"message": message.pk, "reason": "spam"}, format="json"),
        409,
        "already_reported",
    )
    assert Report.objects.count() == 1


def test_block_list_and_unblock(chat):
    client, freelancer, _job, _message = chat
    api = as_user(client)
    created = api.post("/api/blocks/", {"user": freelancer.pk}, format="json")
    assert created.status_code == 201
    assert created.json()["user"] == {"id": freelancer.pk, "name": "Finn Freelancer"}
    assert api.post("/api/blocks/", {"user": freelancer.pk}, format="json").status_code == 200
    assert [row["user"]["id"] for row in api.get("/api/blocks/").json()["results"]] == [freelancer.pk]
    assert api.delete(f"/api/blocks/{freelancer.pk}/").status_code == 204
    assert_error(api.delete(f"/api/blocks/{freelancer.pk}/"), 404, "block_not_found")
    assert not Block.objects.exists()


def test_block_refusals(chat):
    client, _freelancer, _job, _message = chat
    api = as_user(client)
    assert_error(api.post("/api/blocks/", {"user": client.pk}, format="json"), 400, "cannot_block_self")
    assert_error(api.post("/api/blocks/", {"user": 10**9}, format="json"), 404, "user_not_found")
    assert "user" in assert_error(api.post("/api/blocks/", {}, format="json"), 400, "invalid")["fields"]
    assert not Block.objects.exists()


def _list_queries(api) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/blocks/")
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


def test_blocks_list_costs_the_same_at_1_and_50_rows():
    me = make_client()
    api = as_user(me)
    Block.objects.create(blocker=me, blocked=make_freelancer())
    one, rows = _list_queries(api)
    assert rows == 1
    for _ in range(49):
        Block.objects.create(blocker=me, blocked=make_freelancer())
    many, rows = _list_queries(api)
    assert (many, rows) == (one, 25)  # a full page
