"""The disputes REST API, through the real services: a party's whole story (open with a file, respond,
offers declined and accepted), every refusal answered with its service's code in the one error shape
(never a 500), and what an organisation's API key may read. The support staff's endpoints are in
``test_api_support.py``, the lists' query counts in ``test_api_query_counts.py``."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace.disputes.models import Dispute, SettlementOffer
from marketplace.organisations.models import Role
from tests.disputes.world import escalated, funded_contract, make_support, open_dispute
from tests.factories import add_member, make_freelancer, make_organisation, make_user
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% delivery notes\n"


@pytest.fixture
def organisation():
    return make_organisation(name="Acme Robotics")


@pytest.fixture
def contract(organisation):
    owner = organisation.memberships.get().user
    return funded_contract(60_000, client=owner, organisation=organisation)


def milestone_of(contract):
    return contract.milestones.select_related("contract").get()


def test_a_party_opens_responds_and_settles_over_the_api(contract):
    freelancer, client = contract.freelancer, contract.client
    milestone = milestone_of(contract)
    opened = as_user(freelancer).post(
        "/api/disputes/",
        {
            "milestone": milestone.pk,
            "reason": "not_approved",
            "description": "The work was handed in and never answered.",
            "amount_minor": 60_000,
            "files": [SimpleUploadedFile("notes.pdf", PDF, content_type="application/pdf")],
        },
        format="multipart",
    )
    assert opened.status_code == 201, opened.content
    body = opened.json()
    assert (body["status"], body["kind"], body["opened_by_side"]) == ("open", "milestone", "freelancer")
    assert body["milestone"]["id"] == milestone.pk
    assert body["respond_by"]
    (evidence,) = body["evidence"]
    assert [f["name"] for f in evidence["files"]] == ["notes.pdf"]
    pk = body["id"]

    api = as_user(client)
    assert api.get("/api/disputes/").json()["results"][0]["id"] == pk
    responded = api.post(f"/api/disputes/{pk}/respond/", {"response": "It was late."}, format="json")
    assert responded.status_code == 200, responded.content
    assert responded.json()["response"] == "It was late."

    offer = as_user(freelancer).post(
        f"/api/disputes/{pk}/offers/", {"release_minor": 50_000, "refund_minor": 10_000}, format="json"
    )
    assert offer.status_code == 201, offer.content
    declined = api.post(f"/api/dispute-offers/{offer.json()['id']}/decline/")
    assert declined.json()["status"] == "declined"

    counter = api.post(
        f"/api/disputes/{pk}/offers/",
        {"release_minor": 40_000, "refund_minor": 20_000, "message": "Meet halfway?"},
        format="json",
    )
    assert counter.status_code == 201
    accepted = as_user(freelancer).post(f"/api/dispute-offers/{counter.json()['id']}/accept/")
    assert accepted.status_code == 200, accepted.content
    settled = accepted.json()
    assert (settled["status"], settled["released_minor"], settled["refunded_minor"]) == (
        "settled",
        40_000,
        20_000,
    )
    assert [o["status"] for o in settled["offers"]] == ["accepted", "declined"]


def test_refusals_answer_with_the_services_codes(contract, organisation):
    freelancer, client = contract.freelancer, contract.client
    milestone = milestone_of(contract)
    api = as_user(freelancer)
    assert_error(api.post("/api/disputes/", {}, format="json"), 400, "invalid")
    wanted = {"milestone": milestone.pk, "reason": "quality", "description": "Not as agreed at all."}
    assert_error(
        api.post("/api/disputes/", {**wanted, "amount_minor": 60_001}, format="json"),
        400,
        "amount_exceeds_held",
    )
    assert_error(
        api.post("/api/disputes/", {**wanted, "description": "Short", "amount_minor": 1}, format="json"),
        400,
        "description_required",
    )
    assert_error(
        api.post("/api/disputes/", {**wanted, "milestone": 2**31 - 1, "amount_minor": 1}, format="json"),
        404,
        "milestone_not_found",
    )
    outsider = as_user(make_freelancer())
    assert_error(
        outsider.post("/api/disputes/", {**wanted, "amount_minor": 1}, format="json"),
        404,
        "milestone_not_found",
    )
    viewer = add_member(organisation, Role.VIEWER, make_user())
    assert_error(
        as_user(viewer).post("/api/disputes/", {**wanted, "amount_minor": 1}, format="json"),
        403,
        "role_forbids",
    )
    assert api.post("/api/disputes/", {**wanted, "amount_minor": 5_000}, format="json").status_code == 201
    assert_error(
        api.post("/api/disputes/", {**wanted, "amount_minor": 5_000}, format="json"),
        409,
        "dispute_open_already",
    )

    pk = Dispute.objects.get().pk
    # The opener cannot respond, the other side cannot withdraw: 403 before the body is read.
    assert_error(api.post(f"/api/disputes/{pk}/respond/", {}, format="json"), 403, "wrong_side")
    assert_error(as_user(client).post(f"/api/disputes/{pk}/withdraw/", {}), 403, "not_the_opener")
    assert_error(as_user(viewer).post(f"/api/disputes/{pk}/evidence/", {}), 403, "role_forbids")
    assert_error(outsider.get(f"/api/disputes/{pk}/"), 404, "dispute_not_found")
    assert_error(outsider.post(f"/api/disputes/{pk}/ask-support/"), 404, "dispute_not_found")
    assert_error(api.post(f"/api/disputes/{pk}/evidence/", {}, format="json"), 400, "evidence_required")
    assert_error(
        api.post(f"/api/disputes/{pk}/offers/", {"release_minor": 1, "refund_minor": 1}, format="json"),
        400,
        "offer_does_not_add_up",
    )
    api.post(f"/api/disputes/{pk}/ask-support/")
    assert_error(api.post(f"/api/disputes/{pk}/ask-support/"), 409, "already_asked")
    withdrawn = api.post(f"/api/disputes/{pk}/withdraw/", {"reason": "We talked it over."}, format="json")
    assert withdrawn.json()["status"] == "withdrawn"
    assert_error(api.post(f"/api/disputes/{pk}/ask-support/"), 409, "dispute_not_active")
    assert_error(as_user(client).post("/api/dispute-offers/2147483647/accept/"), 404, "offer_not_found")


def test_offers_are_answered_by_the_other_side_only(contract):
    dispute = open_dispute(milestone_of(contract), by=contract.freelancer, amount=60_000)
    api = as_user(contract.freelancer)
    offer = api.post(
        f"/api/disputes/{dispute.pk}/offers/",
        {"release_minor": 30_000, "refund_minor": 30_000},
        format="json",
    ).json()
    assert_error(api.post(f"/api/dispute-offers/{offer['id']}/accept/"), 403, "wrong_side")
    assert_error(
        as_user(make_freelancer()).post(f"/api/dispute-offers/{offer['id']}/decline/"), 404, "offer_not_found"
    )
    assert api.post(f"/api/dispute-offers/{offer['id']}/withdraw/").json()["status"] == "withdrawn"
    assert_error(
        as_user(contract.client).post(f"/api/dispute-offers/{offer['id']}/accept/"), 409, "offer_not_open"
    )
    assert SettlementOffer.objects.get().status == "withdrawn"


def test_an_organisations_key_reads_its_disputes_and_writes_nothing(contract, organisation):
    dispute = open_dispute(milestone_of(contract), by=contract.freelancer, amount=10_000)
    other = funded_contract(20_000)
    open_dispute(milestone_of(other), by=other.freelancer, amount=5_000)
    key = with_key(as_user(None), make_api_key(organisation))
    assert [row["id"] for row in key.get("/api/disputes/").json()["results"]] == [dispute.pk]
    assert key.get(f"/api/disputes/{dispute.pk}/").json()["id"] == dispute.pk
    assert_error(key.get(f"/api/disputes/{other.disputes.get().pk}/"), 404, "dispute_not_found")
    for url in (
        "/api/disputes/",
        f"/api/disputes/{dispute.pk}/respond/",
        f"/api/disputes/{dispute.pk}/withdraw/",
    ):
        assert_error(key.post(url, {}, format="json"), 403, "api_key_read_only")
    assert_error(key.get("/api/support/disputes/"), 403, "api_key_not_allowed")
    other_key = with_key(as_user(None), make_api_key(make_organisation(name="Beta")))
    assert other_key.get("/api/disputes/").json()["results"] == []
    assert_error(other_key.get(f"/api/disputes/{dispute.pk}/"), 404, "dispute_not_found")


def test_support_reads_a_partys_view_too_and_the_parties_never_see_staff_notes(contract):
    dispute = escalated(open_dispute(milestone_of(contract), by=contract.client, amount=10_000))
    support = make_support()
    staff_api = as_user(support)
    assert (
        staff_api.post(
            f"/api/support/disputes/{dispute.pk}/notes/", {"body": "Ask for the logs."}
        ).status_code
        == 201
    )
    party_view = as_user(contract.freelancer).get(f"/api/disputes/{dispute.pk}/").json()
    assert "staff_notes" not in party_view
    assert "assigned_to" not in party_view
    assert staff_api.get(f"/api/disputes/{dispute.pk}/").status_code == 200
    case = staff_api.get(f"/api/support/disputes/{dispute.pk}/").json()
    assert [note["body"] for note in case["staff_notes"]] == ["Ask for the logs."]
