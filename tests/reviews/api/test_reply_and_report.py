"""``/api/reviews/{id}/reply/`` and ``/api/reviews/{id}/reports/``: the reviewee's one public reply
and either side's report to staff, each refusal with its code. A hidden review does not exist for
anyone but its author's side (404), who may still not reply to it (403)."""

import pytest

from marketplace.organisations.models import Role
from reviews.models import Review, ReviewReport
from reviews.services import review_remove
from tests.factories import add_member, make_freelancer, make_organisation, make_user
from tests.reviews.world import ended_contract, published_pair, review_by_client
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

REPLY = {"text": "Thank you, it was a pleasure."}
REPORT = {"reason": "private", "details": "It gives my personal phone number."}


def reply_url(review) -> str:
    return f"/api/reviews/{review.pk}/reply/"


def report_url(review) -> str:
    return f"/api/reviews/{review.pk}/reports/"


# --- Replying -----------------------------------------------------------------------------------


def test_the_freelancer_replies_once_to_the_clients_review():
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    api = as_user(contract.freelancer)
    replied = api.post(reply_url(of_freelancer), REPLY, format="json")
    assert replied.status_code == 200, replied.content
    body = replied.json()
    assert (body["id"], body["reply"]) == (of_freelancer.pk, REPLY["text"])
    assert body["replied_at"]
    assert "private_note" not in body
    assert_error(api.post(reply_url(of_freelancer), REPLY, format="json"), 409, "already_replied")
    assert Review.objects.get(pk=of_freelancer.pk).reply == REPLY["text"]


def test_an_organisations_hiring_member_replies_to_the_freelancers_review():
    organisation = make_organisation()
    hiring = add_member(organisation, Role.HIRING_MANAGER)
    viewer = add_member(organisation, Role.VIEWER)
    contract = ended_contract(organisation=organisation)
    _, of_client = published_pair(contract)
    assert_error(as_user(viewer).post(reply_url(of_client), REPLY, format="json"), 403, "role_forbids")
    replied = as_user(hiring).post(reply_url(of_client), REPLY, format="json")
    assert replied.status_code == 200, replied.content


def test_only_the_reviewee_replies_and_is_told_so_before_the_body_is_read():
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    for someone in (contract.client, make_freelancer(), make_user(staff=True)):
        assert_error(
            as_user(someone).post(reply_url(of_freelancer), {}, format="json"), 403, "not_the_reviewee"
        )
    assert_error(as_user(None).post(reply_url(of_freelancer), REPLY, format="json"), 403, "not_authenticated")
    keyed = with_key(as_user(None), make_api_key(make_organisation()))
    assert_error(keyed.post(reply_url(of_freelancer), REPLY, format="json"), 403, "api_key_not_allowed")
    assert Review.objects.get(pk=of_freelancer.pk).reply == ""


def test_a_reply_must_say_something():
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    for body in ({}, {"text": "   "}, {"text": "x" * 2001}):
        error = assert_error(
            as_user(contract.freelancer).post(reply_url(of_freelancer), body, format="json"),
            400,
            "invalid_input",
        )
        assert set(error["fields"]) == {"text"}


def test_a_hidden_review_is_not_found_for_the_reviewee_and_not_theirs_to_answer_for_its_author():
    contract = ended_contract()
    hidden = review_by_client(contract)
    assert_error(as_user(contract.freelancer).post(reply_url(hidden), REPLY, format="json"), 404, "not_found")
    assert_error(
        as_user(contract.freelancer).post(report_url(hidden), REPORT, format="json"), 404, "not_found"
    )
    # The positive control: its author sees it (so is told it is not theirs to answer).
    assert_error(
        as_user(contract.client).post(reply_url(hidden), REPLY, format="json"), 403, "not_the_reviewee"
    )
    assert_error(
        as_user(contract.client).post("/api/reviews/999999/reply/", REPLY, format="json"), 404, "not_found"
    )


def test_a_removed_review_takes_no_reply_and_no_report():
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    review_remove(acting_user=make_user(staff=True), review=of_freelancer, reason="Abusive words.")
    api = as_user(contract.freelancer)
    assert_error(api.post(reply_url(of_freelancer), REPLY, format="json"), 409, "review_not_published")
    assert_error(api.post(report_url(of_freelancer), REPORT, format="json"), 409, "review_not_published")
    assert_error(
        as_user(make_freelancer()).post(reply_url(of_freelancer), REPLY, format="json"), 404, "not_found"
    )


# --- Reporting ----------------------------------------------------------------------------------


def test_either_side_reports_a_published_review_once():
    contract = ended_contract()
    of_freelancer, of_client = published_pair(contract)
    reported = as_user(contract.freelancer).post(report_url(of_freelancer), REPORT, format="json")
    assert reported.status_code == 201, reported.content
    body = reported.json()
    assert body == {
        "id": body["id"],
        "review": of_freelancer.pk,
        "reason": "private",
        "details": REPORT["details"],
        "status": "open",
        "created_at": body["created_at"],
    }
    assert_error(
        as_user(contract.freelancer).post(report_url(of_freelancer), REPORT, format="json"),
        409,
        "already_reported",
    )
    # The author's side may report the other side's review, and even the one written about it.
    assert as_user(contract.client).post(report_url(of_client), REPORT, format="json").status_code == 201
    assert ReviewReport.objects.filter(status="open").count() == 2


def test_who_is_on_neither_side_may_not_report():
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    contract = ended_contract(organisation=organisation)
    of_freelancer, _ = published_pair(contract)
    for stranger in (make_freelancer(), make_user(staff=True)):
        assert_error(as_user(stranger).post(report_url(of_freelancer), {}, format="json"), 404, "not_found")
    assert_error(as_user(viewer).post(report_url(of_freelancer), {}, format="json"), 403, "role_forbids")
    assert not ReviewReport.objects.exists()


def test_a_report_needs_a_known_reason_and_short_details():
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    api = as_user(contract.freelancer)
    error = assert_error(
        api.post(report_url(of_freelancer), {"reason": "boring"}, format="json"), 400, "invalid"
    )
    assert set(error["fields"]) == {"reason"}
    error = assert_error(
        api.post(report_url(of_freelancer), {"reason": "other", "details": "x" * 2001}, format="json"),
        400,
        "invalid_input",
    )
    assert set(error["fields"]) == {"details"}
    assert not ReviewReport.objects.exists()
