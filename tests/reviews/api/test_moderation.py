"""Staff's review moderation over the API: the queue of reported reviews, removing a review (it stops
showing anywhere, every open report of it resolved, audited) and dismissing a report. Staff only:
support staff and everyone else 403 ``not_staff``; the queue never carries the private note."""

import pytest

from marketplace.core.models import AuditEntry
from reviews.models import ReviewReport
from reviews.services import review_report
from tests.factories import make_freelancer, make_organisation, make_user
from tests.reviews.world import CLIENT_REVIEW, ended_contract, published_pair
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

QUEUE = "/api/staff/review-reports/"


@pytest.fixture
def staff():
    return make_user(staff=True, full_name="Sam Staff")


@pytest.fixture
def reported():
    """A published review of the freelancer, reported by the freelancer and by the client side."""
    contract = ended_contract()
    of_freelancer, _ = published_pair(contract)
    by_freelancer = review_report(
        acting_user=contract.freelancer, review=of_freelancer, reason="private", details="My phone number."
    )
    by_client = review_report(acting_user=contract.client, review=of_freelancer, reason="other")
    return of_freelancer, by_freelancer, by_client


def test_staff_read_the_open_reports_oldest_first_without_the_private_note(staff, reported):
    review, first, second = reported
    response = as_user(staff).get(QUEUE)
    assert response.status_code == 200, response.content
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [first.pk, second.pk]
    row = rows[0]
    assert (row["reason"], row["details"], row["status"]) == ("private", "My phone number.", "open")
    assert row["reporter"]["id"] == review.reviewee_id
    assert (row["review"]["id"], row["review"]["text"], row["review"]["contract"]) == (
        review.pk,
        CLIENT_REVIEW["text"],
        review.contract_id,
    )
    assert row["review"]["reviewee"]["id"] == review.reviewee_id
    assert row["resolved_by"] is None
    assert "private_note" not in row["review"]
    assert CLIENT_REVIEW["private_note"].encode() not in response.content


def test_staff_remove_the_review_and_every_open_report_of_it_is_resolved(staff, reported):
    review, first, second = reported
    removed = as_user(staff).post(
        f"{QUEUE}{first.pk}/remove/", {"reason": "Shares a phone number."}, format="json"
    )
    assert removed.status_code == 200, removed.content
    row = removed.json()
    assert (row["status"], row["resolution_note"]) == ("removed", "Shares a phone number.")
    assert row["resolved_by"]["id"] == staff.pk
    assert row["review"]["removed_at"]
    assert row["review"]["removal_reason"] == "Shares a phone number."
    assert ReviewReport.objects.get(pk=second.pk).status == "removed"
    assert AuditEntry.objects.filter(action="review_removed", target_id=str(review.pk), actor=staff).exists()
    # Gone from the freelancer's public reviews, and out of the open queue (in the removed one).
    handle = review.reviewee.freelancer_profile.handle
    assert as_user(None).get(f"/api/freelancers/{handle}/reviews/").json()["results"] == []
    assert as_user(staff).get(QUEUE).json()["results"] == []
    assert [r["id"] for r in as_user(staff).get(QUEUE, {"status": "removed"}).json()["results"]] == [
        first.pk,
        second.pk,
    ]
    # Removing it again, through the other report, is refused.
    assert_error(
        as_user(staff).post(f"{QUEUE}{second.pk}/remove/", {"reason": "Once more."}, format="json"),
        409,
        "review_not_published",
    )


def test_a_removal_needs_its_reason(staff, reported):
    _, first, _ = reported
    assert_error(as_user(staff).post(f"{QUEUE}{first.pk}/remove/", {}, format="json"), 400, "invalid")
    for body in ({"reason": "Bad"}, {"reason": "    "}, {"reason": "x" * 2001}):
        error = assert_error(
            as_user(staff).post(f"{QUEUE}{first.pk}/remove/", body, format="json"), 400, "invalid_input"
        )
        assert set(error["fields"]) == {"reason"}
    assert ReviewReport.objects.get(pk=first.pk).status == "open"


def test_staff_dismiss_a_report_and_the_review_stays(staff, reported):
    review, first, second = reported
    dismissed = as_user(staff).post(f"{QUEUE}{first.pk}/dismiss/", {}, format="json")
    assert dismissed.status_code == 200, dismissed.content
    row = dismissed.json()
    assert (row["status"], row["resolved_by"]["id"], row["review"]["removed_at"]) == (
        "dismissed",
        staff.pk,
        None,
    )
    assert ReviewReport.objects.get(pk=second.pk).status == "open"
    assert AuditEntry.objects.filter(action="review_report_dismissed", actor=staff).exists()
    handle = review.reviewee.freelancer_profile.handle
    assert [r["id"] for r in as_user(None).get(f"/api/freelancers/{handle}/reviews/").json()["results"]] == [
        review.pk
    ]
    assert_error(
        as_user(staff).post(f"{QUEUE}{first.pk}/dismiss/", {}, format="json"), 409, "report_resolved"
    )
    error = assert_error(
        as_user(staff).post(f"{QUEUE}{second.pk}/dismiss/", {"note": "x" * 2001}, format="json"),
        400,
        "invalid_input",
    )
    assert set(error["fields"]) == {"note"}


def test_only_staff_moderate(reported):
    review, first, _ = reported
    for user in (review.reviewee, review.author, make_freelancer(), make_user(is_support=True)):
        api = as_user(user)
        assert_error(api.get(QUEUE), 403, "not_staff")
        assert_error(
            api.post(f"{QUEUE}{first.pk}/remove/", {"reason": "Not mine to do."}, format="json"),
            403,
            "not_staff",
        )
        assert_error(api.post(f"{QUEUE}{first.pk}/dismiss/", {}, format="json"), 403, "not_staff")
    assert_error(as_user(None).get(QUEUE), 403, "not_authenticated")
    keyed = with_key(as_user(None), make_api_key(make_organisation()))
    assert_error(keyed.get(QUEUE), 403, "api_key_not_allowed")
    assert ReviewReport.objects.get(pk=first.pk).status == "open"


def test_an_unknown_report_or_state_is_refused(staff):
    assert_error(
        as_user(staff).post(f"{QUEUE}999999/remove/", {"reason": "Abusive words."}, format="json"),
        404,
        "not_found",
    )
    assert_error(as_user(staff).post(f"{QUEUE}999999/dismiss/", {}, format="json"), 404, "not_found")
    error = assert_error(as_user(staff).get(QUEUE, {"status": "lost"}), 400, "invalid")
    assert set(error["fields"]) == {"status"}
