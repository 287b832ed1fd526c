"""After publication: the reviewee's one public reply, either side's report, and staff moderation —
removing a review (it stops counting everywhere ``published()`` is read, its open reports resolved,
audited) or dismissing a report (audited). Each misuse with its code."""

import pytest
from django.utils import timezone

from marketplace.core.audit import audit_trail
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.organisations.models import Role
from reviews.models import Review, ReviewReport
from reviews.selectors import (
    contract_reviews_for,
    is_moderator,
    published_reviews_of_client,
    published_reviews_of_freelancer,
    review_reports_queue,
)
from reviews.services import report_dismiss, review_remove, review_reply, review_report
from tests.factories import add_member, make_client, make_freelancer, make_organisation, make_user
from tests.reviews.world import (
    ended_contract,
    published_pair,
    recording,
    review_by_client,
    review_by_freelancer,
)

pytestmark = pytest.mark.django_db

REASON = "Shares the freelancer's phone number."


@pytest.fixture
def pair():
    contract = ended_contract()
    by_client, by_freelancer = published_pair(contract)
    return contract, by_client, by_freelancer


@pytest.fixture
def staff():
    return make_user(staff=True)


# --- Replies ------------------------------------------------------------------------------------


def test_the_reviewee_replies_once(pair):
    contract, by_client, by_freelancer = pair
    with recording() as heard:
        replied = review_reply(
            acting_user=contract.freelancer, review=by_client, text="  Thank you, Connie!  "
        )
    assert (replied.reply, replied.replied_at is not None) == ("Thank you, Connie!", True)
    assert [(name, kwargs["review"].pk) for name, kwargs in heard] == [("review_replied", by_client.pk)]
    with pytest.raises(Conflict) as refused:
        review_reply(acting_user=contract.freelancer, review=by_client, text="And again.")
    assert (refused.value.status, refused.value.code) == (409, "already_replied")
    by_client.refresh_from_db()
    assert by_client.reply == "Thank you, Connie!"
    # The client replies to the freelancer's review of them.
    assert (
        review_reply(acting_user=contract.client, review=by_freelancer, text="Likewise.").reply == "Likewise."
    )


def test_a_copy_taken_before_publication_still_replies_and_reports():
    """The services read the review's publication again: a caller's copy from while it was hidden
    (here the author's own object, kept across the other side's submission) is not refused."""
    contract = ended_contract()
    stale = review_by_client(contract)
    review_by_freelancer(contract)  # publishes both; ``stale`` still says hidden
    assert stale.revealed_at is None
    report = review_report(acting_user=contract.freelancer, review=stale, reason="false")
    assert report.review_id == stale.pk
    assert review_reply(acting_user=contract.freelancer, review=stale, text="Thanks.").reply == "Thanks."


def test_only_the_reviewee_replies(pair):
    contract, by_client, _ = pair
    for someone in (contract.client, make_freelancer(), make_client(), make_user(staff=True)):
        with pytest.raises(PermissionDenied) as refused:
            review_reply(acting_user=someone, review=by_client, text="Not mine to answer.")
        assert (refused.value.status, refused.value.code) == (403, "not_the_reviewee")
    assert Review.objects.get(pk=by_client.pk).reply == ""


def test_an_organisations_hiring_side_replies_for_it_and_its_viewers_may_not():
    organisation = make_organisation()
    hiring, viewer = add_member(organisation, Role.HIRING_MANAGER), add_member(organisation, Role.VIEWER)
    contract = ended_contract(organisation=organisation)
    _, of_client = published_pair(contract)
    with pytest.raises(PermissionDenied) as refused:
        review_reply(acting_user=viewer, review=of_client, text="We disagree.")
    assert refused.value.code == "role_forbids"
    assert review_reply(acting_user=hiring, review=of_client, text="Thanks, a pleasure.").reply


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, None])
def test_a_reply_needs_1_to_2000_characters(pair, text):
    contract, by_client, _ = pair
    with pytest.raises(InvalidInput) as refused:
        review_reply(acting_user=contract.freelancer, review=by_client, text=text)
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", {"text"})


def test_a_hidden_review_does_not_exist_for_its_reviewee():
    contract = ended_contract()
    hidden = review_by_client(contract)
    with pytest.raises(NotFound) as refused:
        review_reply(acting_user=contract.freelancer, review=hidden, text="Thanks!")
    assert (refused.value.status, refused.value.code) == (404, "not_found")
    with pytest.raises(NotFound):
        review_report(acting_user=contract.freelancer, review=hidden, reason="false")
    # Its author's side sees it, and is told it is not published yet (not that it is not theirs).
    with pytest.raises(Conflict) as refused:
        review_report(acting_user=contract.client, review=hidden, reason="other")
    assert refused.value.code == "review_not_published"
    with pytest.raises(PermissionDenied) as refused:
        review_reply(acting_user=contract.client, review=hidden, text="Me again.")
    assert refused.value.code == "not_the_reviewee"


# --- Reports ------------------------------------------------------------------------------------


def test_either_side_reports_a_published_review_once_while_it_is_open(pair, staff):
    contract, by_client, by_freelancer = pair
    with recording() as heard:
        report = review_report(
            acting_user=contract.freelancer, review=by_client, reason="private", details=REASON
        )
    assert (report.status, report.reporter, report.reason, report.details) == (
        ReviewReport.Status.OPEN,
        contract.freelancer,
        "private",
        REASON,
    )
    assert [(name, kwargs["report"].pk) for name, kwargs in heard] == [("review_reported", report.pk)]
    with pytest.raises(Conflict) as refused:
        review_report(acting_user=contract.freelancer, review=by_client, reason="abusive")
    assert (refused.value.status, refused.value.code) == (409, "already_reported")
    # The other side may report it too, and the client the review of them.
    review_report(acting_user=contract.client, review=by_client, reason="other")
    review_report(acting_user=contract.client, review=by_freelancer, reason="false")
    # Dismissed, the report is closed: the same person may report the review again.
    report_dismiss(acting_user=staff, report=report)
    assert review_report(acting_user=contract.freelancer, review=by_client, reason="abusive").status == "open"


def test_someone_else_than_the_two_sides_cannot_report(pair):
    _, by_client, _ = pair
    for stranger in (make_client(), make_freelancer(), make_user(staff=True)):
        with pytest.raises(NotFound) as refused:
            review_report(acting_user=stranger, review=by_client, reason="abusive")
        assert refused.value.code == "not_found"
    assert not ReviewReport.objects.exists()


@pytest.mark.parametrize(
    ("reason", "details", "fields"),
    [
        ("", "", {"reason"}),
        ("rude", "", {"reason"}),
        ("other", "x" * 2001, {"details"}),
        (None, "x" * 2001, {"reason", "details"}),
    ],
)
def test_a_report_needs_a_known_reason_and_at_most_2000_characters(pair, reason, details, fields):
    contract, by_client, _ = pair
    with pytest.raises(InvalidInput) as refused:
        review_report(acting_user=contract.freelancer, review=by_client, reason=reason, details=details)
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", fields)


# --- Moderation ---------------------------------------------------------------------------------


def test_only_staff_moderate(pair):
    contract, by_client, _ = pair
    report = review_report(acting_user=contract.freelancer, review=by_client, reason="abusive")
    suspended = make_user(staff=True, suspended_at=timezone.now())
    inactive = make_user(staff=True, is_active=False)
    for someone in (contract.client, contract.freelancer, make_user(is_support=True), suspended, inactive):
        assert not is_moderator(someone)
        with pytest.raises(PermissionDenied) as refused:
            review_remove(acting_user=someone, review=by_client, reason="Not allowed here.")
        assert (refused.value.status, refused.value.code) == (403, "not_staff")
        with pytest.raises(PermissionDenied) as refused:
            report_dismiss(acting_user=someone, report=report)
        assert refused.value.code == "not_staff"
    assert Review.objects.get(pk=by_client.pk).is_published
    assert ReviewReport.objects.get(pk=report.pk).status == "open"
    assert is_moderator(make_user(staff=True))


def test_removing_a_review_hides_it_everywhere_resolves_its_reports_and_is_audited(pair, staff):
    contract, by_client, by_freelancer = pair
    by_freelancers_side = review_report(acting_user=contract.freelancer, review=by_client, reason="private")
    by_clients_side = review_report(acting_user=contract.client, review=by_client, reason="other")
    earlier = review_report(acting_user=contract.client, review=by_freelancer, reason="false")
    assert list(published_reviews_of_freelancer(contract.freelancer)) == [by_client]
    assert contract_reviews_for(contract.freelancer, contract).theirs == by_client

    with pytest.raises(InvalidInput) as refused:
        review_remove(acting_user=staff, review=by_client, reason="bad")
    assert (refused.value.code, set(refused.value.fields)) == ("invalid_input", {"reason"})
    with recording() as heard:
        removed = review_remove(acting_user=staff, review=by_client, reason=REASON)

    assert (removed.removed_by, removed.removal_reason, removed.removed_at is not None) == (
        staff,
        REASON,
        True,
    )
    assert not removed.is_published
    # Gone from everything that reads published reviews …
    assert list(Review.objects.published()) == [by_freelancer]
    assert list(published_reviews_of_freelancer(contract.freelancer)) == []
    assert contract_reviews_for(contract.freelancer, contract).theirs is None
    # … its author still sees their own, removed; the other review is untouched.
    assert contract_reviews_for(contract.client, contract).mine == removed
    assert list(published_reviews_of_client(user=contract.client)) == [by_freelancer]
    # Its open reports are resolved as removed, with who and why; another review's report stays open.
    for report in (by_freelancers_side, by_clients_side):
        report.refresh_from_db()
        assert (report.status, report.resolved_by, report.resolution_note) == ("removed", staff, REASON)
        assert report.resolved_at == removed.removed_at
    earlier.refresh_from_db()
    assert earlier.status == "open"
    assert list(review_reports_queue()) == [earlier]
    assert {r.pk for r in review_reports_queue("removed")} == {by_freelancers_side.pk, by_clients_side.pk}
    entry = audit_trail(removed).get()
    assert (entry.actor, entry.action, entry.summary) == (staff, "review_removed", REASON)
    assert sorted(entry.data["reports_resolved"]) == sorted([by_freelancers_side.pk, by_clients_side.pk])
    assert [(name, kwargs["review"].pk, kwargs["actor"]) for name, kwargs in heard] == [
        ("review_removed", removed.pk, staff)
    ]

    # Removed once; not replied to, nor reported, any more.
    with pytest.raises(Conflict) as refused:
        review_remove(acting_user=staff, review=removed, reason=REASON)
    assert refused.value.code == "review_not_published"
    with pytest.raises(Conflict) as refused:
        review_reply(acting_user=contract.freelancer, review=removed, text="Thanks.")
    assert refused.value.code == "review_not_published"
    with pytest.raises(Conflict) as refused:
        review_report(acting_user=contract.freelancer, review=removed, reason="abusive")
    assert refused.value.code == "review_not_published"
    # A report resolved by the removal cannot be dismissed afterwards.
    with pytest.raises(Conflict) as refused:
        report_dismiss(acting_user=staff, report=by_freelancers_side)
    assert refused.value.code == "report_resolved"


def test_a_hidden_review_cannot_be_removed():
    contract = ended_contract()
    hidden = review_by_freelancer(contract)
    with pytest.raises(Conflict) as refused:
        review_remove(acting_user=make_user(staff=True), review=hidden, reason=REASON)
    assert refused.value.code == "review_not_published"


def test_dismissing_keeps_the_review_and_is_audited(pair, staff):
    contract, by_client, _ = pair
    report = review_report(acting_user=contract.freelancer, review=by_client, reason="false")
    with pytest.raises(InvalidInput):
        report_dismiss(acting_user=staff, report=report, note="x" * 2001)
    dismissed = report_dismiss(acting_user=staff, report=report, note="The review is about this contract.")
    assert (dismissed.status, dismissed.resolved_by, dismissed.resolution_note) == (
        "dismissed",
        staff,
        "The review is about this contract.",
    )
    assert Review.objects.get(pk=by_client.pk).is_published
    entry = audit_trail(dismissed).get()
    assert (entry.actor, entry.action) == (staff, "review_report_dismissed")
    assert list(review_reports_queue()) == []
    assert list(review_reports_queue("dismissed")) == [dismissed]
    with pytest.raises(Conflict) as refused:
        report_dismiss(acting_user=staff, report=report)
    assert (refused.value.status, refused.value.code) == (409, "report_resolved")


def test_the_queue_is_oldest_first(pair):
    contract, by_client, by_freelancer = pair
    first = review_report(acting_user=contract.client, review=by_freelancer, reason="false")
    second = review_report(acting_user=contract.freelancer, review=by_client, reason="abusive")
    assert list(review_reports_queue()) == [first, second]
