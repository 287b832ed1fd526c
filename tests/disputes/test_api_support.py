"""The support staff's endpoints: the queue (by deadline, filtered, paged), a case with its notes,
assigning, noting and deciding, through the real services; nobody else gets in (403 ``not_support``),
and every refusal is the service's code."""

import pytest

from marketplace.disputes.models import Dispute
from tests.disputes.world import escalated, funded_contract, make_support, open_dispute
from tests.factories import make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def support():
    return make_support(full_name="Sue Support")


def dispute_on(contract, **kwargs):
    return open_dispute(contract.milestones.select_related("contract").get(), **kwargs)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_queue_is_by_deadline_and_filters(support):
    first = escalated(dispute_on(funded_contract(10_000)))
    waiting = dispute_on(funded_contract(10_000))
    second = escalated(dispute_on(funded_contract(10_000)))
    Dispute.objects.filter(pk=first.pk).update(decide_by=second.decide_by.replace(year=2000))
    api = as_user(support)
    assert ids(api.get("/api/support/disputes/")) == [first.pk, second.pk, waiting.pk]
    assert ids(api.get("/api/support/disputes/?status=open")) == [waiting.pk]
    assert ids(api.get("/api/support/disputes/?kind=chargeback")) == []
    api.post(f"/api/support/disputes/{second.pk}/assign/", {"assignee": support.pk}, format="json")
    assert ids(api.get("/api/support/disputes/?assigned=me")) == [second.pk]
    assert ids(api.get(f"/api/support/disputes/?assigned={support.pk}")) == [second.pk]
    assert ids(api.get("/api/support/disputes/?assigned=none")) == [first.pk, waiting.pk]
    row = api.get("/api/support/disputes/?assigned=me").json()["results"][0]
    assert row["assigned_to"]["full_name"] == "Sue Support"
    assert row["decide_by"]
    assert_error(api.get("/api/support/disputes/?status=lost"), 400, "invalid")
    assert_error(api.get("/api/support/disputes/?assigned=someone"), 400, "invalid")


def test_only_support_staff_get_in(support):
    dispute = dispute_on(funded_contract(10_000))
    for user in (dispute.contract.client, dispute.contract.freelancer, make_user(staff=True)):
        api = as_user(user)
        assert_error(api.get("/api/support/disputes/"), 403, "not_support")
        assert_error(api.get(f"/api/support/disputes/{dispute.pk}/"), 403, "not_support")
        assert_error(api.post(f"/api/support/disputes/{dispute.pk}/decide/", {}), 403, "not_support")
    assert_error(as_user(None).get("/api/support/disputes/"), 403, "not_authenticated")
    assert_error(as_user(support).get("/api/support/disputes/2147483647/"), 404, "dispute_not_found")


def test_assign_note_and_decide_a_split(support):
    contract = funded_contract(60_000)
    dispute = escalated(dispute_on(contract, amount=60_000))
    api = as_user(support)
    colleague = make_support(full_name="Sid Support")
    assert_error(
        api.post(
            f"/api/support/disputes/{dispute.pk}/assign/", {"assignee": contract.client_id}, format="json"
        ),
        400,
        "assignee_not_support",
    )
    assert_error(
        api.post(f"/api/support/disputes/{dispute.pk}/assign/", {"assignee": 2**31 - 1}, format="json"),
        404,
        "user_not_found",
    )
    case = api.post(f"/api/support/disputes/{dispute.pk}/assign/", {"assignee": colleague.pk}, format="json")
    assert case.json()["assigned_to"]["id"] == colleague.pk
    note = api.post(
        f"/api/support/disputes/{dispute.pk}/notes/", {"body": "Logs show delivery."}, format="json"
    )
    assert note.status_code == 201
    assert note.json()["author"]["id"] == support.pk
    assert_error(
        api.post(f"/api/support/disputes/{dispute.pk}/notes/", {"body": ""}, format="json"),
        400,
        "body_required",
    )

    decide = f"/api/support/disputes/{dispute.pk}/decide/"
    assert_error(api.post(decide, {}, format="json"), 400, "invalid")
    split = {
        "outcome": "split",
        "release_minor": 36_000,
        "refund_minor": 20_000,
        "reason": "Most was delivered.",
    }
    assert_error(api.post(decide, split, format="json"), 400, "split_does_not_add_up")
    decided = api.post(decide, {**split, "refund_minor": 24_000}, format="json")
    assert decided.status_code == 200, decided.content
    body = decided.json()
    assert (body["status"], body["outcome"], body["released_minor"], body["refunded_minor"]) == (
        "decided",
        "split",
        36_000,
        24_000,
    )
    assert body["resolved_by"]["id"] == support.pk
    assert body["resolution_note"] == "Most was delivered."
    assert [n["body"] for n in body["staff_notes"]] == ["Logs show delivery."]
    assert_error(
        api.post(decide, {**split, "refund_minor": 24_000}, format="json"), 409, "dispute_not_active"
    )


def test_a_decision_waits_for_the_response_time(support):
    dispute = dispute_on(funded_contract(10_000))
    assert_error(
        as_user(support).post(
            f"/api/support/disputes/{dispute.pk}/decide/",
            {"outcome": "release_all", "reason": "Delivered in full."},
            format="json",
        ),
        409,
        "dispute_not_escalated",
    )
