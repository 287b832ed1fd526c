"""The review pages: the form on an ended contract (stars as radio groups, the direction's sub-scores,
the private note, the double-blind explained), the contract page's card, the dashboard's reviews
waiting, the profile's rating, job success score and newest reviews, the freelancer's reviews page,
the reply and the report, the formula page, the client scorecard beside a job, and staff's queue of
reported reviews. Real services underneath; nothing mocked.

Double-blind: a hidden review's text is looked for in every page the other side (and others) can
open, and each such check has its positive control — the same page shows the text once published."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.contracts.models import Contract
from marketplace.core.models import AuditEntry
from marketplace.organisations.models import Role
from reviews import services
from reviews.models import Review, ReviewReport, ReviewWindow
from reviews.services import reputation_recompute_for_contract
from tests.factories import (
    add_member,
    make_contract,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
    make_user,
)
from tests.reviews.reputation_world import completed, good_contract

pytestmark = pytest.mark.django_db

CLIENT_TEXT = "Clear, fast and careful work; the booking page does all we asked."
CLIENT_NOTE = "Would like to see them on our next project."
FREELANCER_TEXT = "Good brief, quick answers and the payment came on time."
CLIENT_REVIEW = {
    "overall": 5,
    "text": CLIENT_TEXT,
    "sub_scores": {"quality": 5, "communication": 4, "expertise": 5, "deadlines": 4},
    "would_hire_again": True,
    "private_note": CLIENT_NOTE,
}
FREELANCER_REVIEW = {
    "overall": 4,
    "text": FREELANCER_TEXT,
    "sub_scores": {"clarity": 4, "communication": 5, "payment_promptness": 4},
}


def ended_contract(*, paid_out: bool = True, freelancer=None, **fields):
    """A completed contract, its one milestone paid out to the freelancer unless ``paid_out`` is
    False."""
    freelancer = freelancer or make_freelancer()
    if paid_out:
        return good_contract(freelancer=freelancer, **fields)
    return completed(make_contract(freelancer=freelancer, milestones=[10_000], **fields))


def review_by_client(contract, user=None):
    return services.review_submit(acting_user=user or contract.client, contract=contract, **CLIENT_REVIEW)


def review_by_freelancer(contract):
    return services.review_submit(acting_user=contract.freelancer, contract=contract, **FREELANCER_REVIEW)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def review_url(contract) -> str:
    return reverse("frontend:contract_review", args=[contract.pk])


def contract_url(contract) -> str:
    return reverse("frontend:contract_detail", args=[contract.pk])


def profile_url(user) -> str:
    return reverse("frontend:freelancer", args=[user.freelancer_profile.handle])


def reviews_url(user) -> str:
    return reverse("frontend:freelancer_reviews", args=[user.freelancer_profile.handle])


def page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


CLIENT_POST = {
    "overall": "5",
    "quality": "5",
    "communication": "4",
    "expertise": "5",
    "deadlines": "4",
    "would_hire_again": "yes",
    "text": CLIENT_TEXT,
    "private_note": CLIENT_NOTE,
}
FREELANCER_POST = {
    "overall": "4",
    "clarity": "4",
    "communication": "5",
    "payment_promptness": "4",
    "text": FREELANCER_TEXT,
}


# ---- the form ------------------------------------------------------------------------------------


def test_the_clients_form_asks_the_freelancers_scores_as_radio_groups_and_explains_the_blind(client):
    contract = ended_contract()
    html = page(client, contract.client, review_url(contract))
    for name in ("overall", "quality", "communication", "expertise", "deadlines"):
        assert len(re.findall(rf'<input type="radio" name="{name}" value="[1-5]"', html)) == 5, name
    assert "5 stars: excellent" in html
    assert "1 star: poor" in html
    assert 'name="would_hire_again"' in html
    assert 'name="clarity"' not in html
    words = text_of(html)
    assert "Only the platform reads this" in words
    assert "hidden — from" in words
    assert "until both of you have reviewed or the window closes on" in words
    closes_at = contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)
    closes = timezone.localtime(closes_at, timezone.get_fixed_timezone(0)).strftime("%-d %b %Y")
    assert closes in words


def test_the_freelancers_form_asks_the_clients_scores_and_no_would_hire_again(client):
    contract = ended_contract()
    html = page(client, contract.freelancer, review_url(contract))
    for name in ("overall", "clarity", "communication", "payment_promptness"):
        assert len(re.findall(rf'<input type="radio" name="{name}" value="[1-5]"', html)) == 5, name
    assert 'name="would_hire_again"' not in html
    assert 'name="quality"' not in html


def test_sending_a_review_keeps_it_hidden_and_says_so_to_its_author(client):
    contract = ended_contract()
    client.force_login(contract.client)
    response = client.post(review_url(contract), CLIENT_POST)
    assert response.status_code == 302
    review = Review.objects.get(contract=contract)
    assert (review.direction, review.overall, review.would_hire_again, review.revealed_at) == (
        Review.Direction.OF_FREELANCER,
        5,
        True,
        None,
    )
    assert (review.quality, review.communication, review.expertise, review.deadlines) == (5, 4, 5, 4)
    assert review.private_note == CLIENT_NOTE
    mine = text_of(client.get(review_url(contract)).content.decode())
    assert "Visible to you only" in mine
    assert CLIENT_TEXT in mine
    assert CLIENT_NOTE in mine
    card = text_of(client.get(contract_url(contract)).content.decode())
    assert "Visible to you only" in card
    assert CLIENT_TEXT in card


def test_a_form_without_stars_comes_back_with_each_error_and_the_text_kept(client):
    contract = ended_contract()
    client.force_login(contract.client)
    response = client.post(review_url(contract), {"text": "Too short", "private_note": "kept note"})
    assert response.status_code == 400
    html = response.content.decode()
    assert html.count('class="field star-field') == 5
    assert html.count("field--error") >= 6  # five star groups, would-hire-again and the short text
    assert "kept note" in html
    assert not Review.objects.exists()


def test_a_second_review_of_the_same_side_is_refused_with_the_reason(client):
    contract = ended_contract()
    review_by_client(contract)
    client.force_login(contract.client)
    response = client.post(review_url(contract), CLIENT_POST)
    assert response.status_code == 409
    assert "reviewed this contract already" in response.content.decode()
    assert Review.objects.count() == 1


def test_no_review_without_money_paid_out_or_after_the_window(client):
    unpaid = ended_contract(paid_out=False)
    client.force_login(unpaid.client)
    assert "Only a contract on which money was paid out" in client.get(review_url(unpaid)).content.decode()
    assert client.post(review_url(unpaid), CLIENT_POST).status_code == 409

    late = ended_contract()
    window_over = timezone.now() - timedelta(days=settings.REVIEW_WINDOW_DAYS, minutes=1)
    Contract.objects.filter(pk=late.pk).update(ended_at=window_over)
    client.force_login(late.freelancer)
    assert "The time to review this contract is over" in client.get(review_url(late)).content.decode()
    assert client.post(review_url(late), FREELANCER_POST).status_code == 409
    assert not Review.objects.exists()


def test_a_running_contract_has_no_review_card_and_no_review(client):
    contract = make_contract(milestones=[10_000])
    html = page(client, contract.client, contract_url(contract))
    assert 'id="reviews"' not in html
    assert client.post(review_url(contract), CLIENT_POST).status_code == 409


def test_who_is_not_a_reviewing_party_is_refused(client):
    contract = ended_contract()
    outsider = make_freelancer()
    client.force_login(outsider)
    assert client.get(review_url(contract)).status_code == 404
    assert client.post(review_url(contract), FREELANCER_POST).status_code == 404
    staff = make_user(staff=True)
    client.force_login(staff)
    assert client.get(review_url(contract)).status_code == 404
    assert not Review.objects.exists()


def test_an_organisation_member_whose_role_does_not_hire_is_refused(client):
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    contract = ended_contract(client=owner, organisation=organisation)
    client.force_login(add_member(organisation, Role.VIEWER))
    assert client.get(review_url(contract)).status_code == 403
    assert client.post(review_url(contract), CLIENT_POST).status_code == 403
    hiring_manager = add_member(organisation, Role.HIRING_MANAGER)
    client.force_login(hiring_manager)
    assert client.post(review_url(contract), CLIENT_POST).status_code == 302
    assert Review.objects.get().author == hiring_manager


# ---- double-blind, through every page ------------------------------------------------------------


def _pages_of(contract, user) -> list[str]:
    """Every page the user can open that may show a review of this contract: the public ones, and
    the contract's own for its parties (and staff, its page)."""
    urls = [
        reverse("frontend:dashboard"),
        profile_url(contract.freelancer),
        reviews_url(contract.freelancer),
        reverse("frontend:job_detail", args=[contract.job_id]),
    ]
    if user.is_staff or user.pk in (contract.client_id, contract.freelancer_id):
        urls.append(contract_url(contract))
    if user.pk in (contract.client_id, contract.freelancer_id):
        urls.append(review_url(contract))
    return urls


@pytest.mark.parametrize("first", ["client", "freelancer"])
def test_a_hidden_review_is_on_no_page_of_anyone_else_until_both_have_reviewed(client, first):
    contract = ended_contract()
    second = "freelancer" if first == "client" else "client"
    hidden_text = {"client": CLIENT_TEXT, "freelancer": FREELANCER_TEXT}
    write = {"client": review_by_client, "freelancer": review_by_freelancer}
    staff = make_user(staff=True)
    stranger = make_freelancer()
    write[first](contract)
    others = [getattr(contract, second), staff, stranger]
    for viewer in others:
        for url in _pages_of(contract, viewer):
            html = page(client, viewer, url)
            assert hidden_text[first] not in html, (viewer, url)
            assert CLIENT_NOTE not in html, (viewer, url)
    # The second side is told nothing: its form and card read as on a contract nobody reviewed.
    fresh = ended_contract()
    for ended in (contract, fresh):
        other = getattr(ended, second)
        form = text_of(page(client, other, review_url(ended)))
        assert "Send the review" in form
        assert "Visible to you only" not in form
        assert "Leave a review" in text_of(page(client, other, contract_url(ended)))

    write[second](contract)  # both published at once
    assert Review.objects.filter(contract=contract, revealed_at__isnull=False).count() == 2
    for side in ("client", "freelancer"):
        html = page(client, getattr(contract, side), contract_url(contract))
        assert hidden_text[first] in html
        assert hidden_text[second] in html
    for viewer in (staff, stranger):
        html = page(client, viewer, reviews_url(contract.freelancer))
        assert CLIENT_TEXT in html  # the public reviews page: the client's review of the freelancer
        assert CLIENT_NOTE not in html  # the private note never leaves the author and staff's queue
    assert CLIENT_NOTE not in page(client, contract.freelancer, contract_url(contract))


def test_the_window_closing_publishes_the_one_review_there_is(client):
    contract = ended_contract()
    review_by_freelancer(contract)
    assert FREELANCER_TEXT not in page(client, contract.client, contract_url(contract))
    ReviewWindow.objects.filter(contract=contract).update(closes_at=timezone.now() - timedelta(minutes=1))
    services.review_windows_due()
    html = text_of(page(client, contract.client, contract_url(contract)))
    assert FREELANCER_TEXT in html
    assert "The time to review this contract is over" in html


# ---- the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_lists_the_reviews_waiting_with_their_countdown(client):
    contract = ended_contract()
    html = text_of(page(client, contract.client, reverse("frontend:dashboard")))
    assert "Reviews waiting for you" in html
    assert f"Review {contract.freelancer.get_full_name()}" in html
    assert "14 days left" in html or "13 days left" in html
    review_by_client(contract)
    html = text_of(page(client, contract.client, reverse("frontend:dashboard")))
    assert "No reviews waiting." in html
    assert f"Review {contract.freelancer.get_full_name()}" not in html


# ---- reply and report ---------------------------------------------------------------------------


def published(**contract_fields):
    contract = ended_contract(**contract_fields)
    review_by_client(contract)
    review_by_freelancer(contract)
    return contract, Review.objects.get(contract=contract, direction=Review.Direction.OF_FREELANCER)


def reply_url(review) -> str:
    return reverse("frontend:review_reply", args=[review.pk])


def report_url(review) -> str:
    return reverse("frontend:review_report", args=[review.pk])


def test_the_reviewee_replies_once_and_the_reply_shows_under_the_review(client):
    contract, review = published()
    html = page(client, contract.freelancer, contract_url(contract))
    assert f'action="{reply_url(review)}"' in html
    answer = "Thank you — a pleasure to work with you."
    response = client.post(reply_url(review), {"text": answer, "next": contract_url(contract)})
    assert response.status_code == 302
    assert response["Location"] == contract_url(contract)
    assert answer in page(client, contract.client, contract_url(contract))
    for url in (profile_url(contract.freelancer), reviews_url(contract.freelancer)):
        assert answer in page(client, make_freelancer(), url)
    client.force_login(contract.freelancer)
    again = client.post(reply_url(review), {"text": "Again"})
    assert again.status_code == 409
    assert "has a reply already" in again.content.decode()


def test_a_reply_by_someone_else_or_without_text_is_refused(client):
    contract, review = published()
    client.force_login(contract.client)  # the author
    assert client.post(reply_url(review), {"text": "Me too"}).status_code == 403
    client.force_login(make_freelancer())
    assert client.post(reply_url(review), {"text": "Me too"}).status_code == 403
    client.force_login(contract.freelancer)
    empty = client.post(reply_url(review), {"text": "  "})
    assert empty.status_code == 400
    assert 'aria-invalid="true"' in empty.content.decode()
    review.refresh_from_db()
    assert review.replied_at is None


def test_a_hidden_review_cannot_be_replied_to_or_reported_by_the_other_side(client):
    contract = ended_contract()
    hidden = review_by_client(contract)
    client.force_login(contract.freelancer)
    assert client.post(reply_url(hidden), {"text": "Thanks"}).status_code == 404
    assert client.get(report_url(hidden)).status_code == 404
    assert client.post(report_url(hidden), {"reason": "false"}).status_code == 404


def test_a_party_reports_a_published_review_once_and_staff_see_it(client):
    contract, review = published()
    html = page(client, contract.freelancer, report_url(review))
    assert "Report" in html
    assert CLIENT_TEXT in html
    response = client.post(report_url(review), {"reason": "false", "details": "Not what happened."})
    assert response.status_code == 302
    report = ReviewReport.objects.get()
    assert (report.reporter, report.reason, report.status) == (contract.freelancer, "false", "open")
    again = client.post(report_url(review), {"reason": "abusive"})
    assert again.status_code == 409
    assert "reported this review already" in again.content.decode()
    assert client.post(report_url(review), {}).status_code == 400
    client.force_login(make_freelancer())
    assert client.get(report_url(review)).status_code == 404


# ---- staff's queue ------------------------------------------------------------------------------


QUEUE = reverse("frontend:staff_review_reports")


def reported(**contract_fields):
    contract, review = published(**contract_fields)
    report = services.review_report(
        acting_user=contract.freelancer, review=review, reason="false", details="Not what happened."
    )
    return contract, review, report


def decide_url(report) -> str:
    return reverse("frontend:staff_review_report", args=[report.pk])


def test_only_staff_open_the_queue_and_a_report(client):
    contract, _review, report = reported()
    for user in (contract.client, contract.freelancer, make_user(is_support=True)):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 404
        assert client.get(decide_url(report)).status_code == 404
        assert client.post(decide_url(report), {"action": "dismiss"}).status_code == 404
    staff = make_user(staff=True)
    html = text_of(page(client, staff, QUEUE))
    assert CLIENT_TEXT in html
    assert "Not what happened." in html
    detail = text_of(page(client, staff, decide_url(report)))
    assert CLIENT_NOTE in detail  # written for the platform: staff read it


def test_removing_needs_a_reason_and_takes_the_review_off_every_page(client):
    contract, review, report = reported()
    staff = make_user(staff=True)
    client.force_login(staff)
    refused = client.post(decide_url(report), {"action": "remove", "note": ""})
    assert refused.status_code == 400
    assert "Say why the review is removed" in refused.content.decode()
    response = client.post(decide_url(report), {"action": "remove", "note": "Shares a phone number."})
    assert response.status_code == 302
    assert response["Location"] == QUEUE
    review.refresh_from_db()
    report.refresh_from_db()
    assert review.removed_at is not None
    assert review.removal_reason == "Shares a phone number."
    assert report.status == ReviewReport.Status.REMOVED
    assert AuditEntry.objects.filter(action="review_removed", actor=staff).exists()
    for url in (profile_url(contract.freelancer), reviews_url(contract.freelancer)):
        assert CLIENT_TEXT not in page(client, make_freelancer(), url)
    assert "No open review reports" in page(client, staff, QUEUE)
    # Its author sees it removed, with the reason, on the contract page.
    author_view = text_of(page(client, contract.client, contract_url(contract)))
    assert "Removed by staff" in author_view
    assert "Shares a phone number." in author_view


def test_dismissing_keeps_the_review(client):
    contract, _review, report = reported()
    staff = make_user(staff=True)
    client.force_login(staff)
    response = client.post(decide_url(report), {"action": "dismiss", "note": ""})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReviewReport.Status.DISMISSED
    assert CLIENT_TEXT in page(client, make_freelancer(), reviews_url(contract.freelancer))
    client.force_login(staff)
    closed = client.post(decide_url(report), {"action": "dismiss"})
    assert closed.status_code == 409


def test_the_queue_is_paged(client):
    staff = make_user(staff=True)
    reports = [reported()[2] for _ in range(21)]
    first = page(client, staff, QUEUE)
    assert first.count("data-review-report=") == 20
    second = page(client, staff, f"{QUEUE}?page=2")
    assert second.count("data-review-report=") == 1
    assert f'data-review-report="{reports[-1].pk}"' in second


# ---- the profile, the reviews page and the formula --------------------------------------------------


def test_the_profile_shows_the_rating_the_score_or_why_not_and_the_newest_reviews(client):
    contract, _review = published()
    reputation_recompute_for_contract(contract)
    html = text_of(page(client, make_freelancer(), profile_url(contract.freelancer)))
    assert "5.0 of 5 from 1 review" in html
    assert "Not enough ended contracts yet" in html
    assert CLIENT_TEXT in html
    assert reverse("frontend:jss_help") in page(client, make_freelancer(), profile_url(contract.freelancer))


def test_the_profile_shows_the_score_with_its_components_from_three_ended_contracts(client):
    freelancer = make_freelancer()
    for _ in range(3):
        contract = ended_contract(freelancer=freelancer)
    reputation_recompute_for_contract(contract)
    html = text_of(page(client, make_freelancer(), profile_url(freelancer)))
    assert "100% job success" in html
    assert "Ended contracts 3" in html
    assert "Good 3" in html
    assert "Bad 0" in html


def test_the_formula_page_says_this_sites_settings(client, settings):
    settings.JSS_PERIOD_MONTHS = 6
    settings.JSS_MIN_ENDED_CONTRACTS = 4
    response = client.get(reverse("frontend:jss_help"))
    assert response.status_code == 200
    html = text_of(response.content.decode())
    assert "in the last 6 months" in html
    assert "at least 4 contracts ended" in html
    assert 'id="client-scorecard"' in response.content.decode()
    # The example, worked out by the score's own arithmetic: 100 * (4.000 + 3.400) / 14.610.
    assert "= 50.65 → 51%" in html


def test_the_job_page_shows_the_clients_scorecard_or_empty_values(client):
    contract, _review = published()
    reputation_recompute_for_contract(contract)
    html = text_of(page(client, make_freelancer(), reverse("frontend:job_detail", args=[contract.job_id])))
    assert "Hire rate 100% (1 of 1 job)" in html
    assert "Rates freelancers 5.0 of 5" in html
    assert "Rating ★★★★☆ 4.0 of 5" in html or "Rating 4.0 of 5" in html.replace("★", "").replace("☆", "")
    fresh = make_job()
    html = text_of(page(client, make_freelancer(), reverse("frontend:job_detail", args=[fresh.pk])))
    assert "No hires yet" in html
    assert "No reviews yet" in html
    assert "Nothing approved yet" in html


def test_the_offer_page_shows_the_freelancer_the_clients_scorecard(client):
    contract, _review = published()
    reputation_recompute_for_contract(contract)
    job = make_job(client=contract.client)
    offer = make_offer(make_proposal(job))
    url = reverse("frontend:offer_detail", args=[offer.pk])
    html = text_of(page(client, offer.freelancer, url))
    assert "Hire rate 100% (1 of 1 job)" in html  # as last computed, before this job
    assert "How these figures are worked out" in html
    assert "Hire rate" not in text_of(page(client, contract.client, url))


def _reviews_of(freelancer, count: int) -> None:
    """``count`` published reviews of the freelancer by as many clients, each on its own contract
    (rows as the reveal leaves them: the query count is about reading them)."""
    now = timezone.now()
    for n in range(count):
        contract = make_contract(freelancer=freelancer, milestones=[10_000])
        Review.objects.create(
            contract=contract,
            direction=Review.Direction.OF_FREELANCER,
            author=contract.client,
            reviewee=freelancer,
            overall=1 + n % 5,
            quality=4,
            communication=5,
            expertise=4,
            deadlines=3,
            would_hire_again=bool(n % 2),
            text=f"Review number {n}: careful work.",
            revealed_at=now - timedelta(minutes=n),
            reply="Thank you!" if n % 3 == 0 else "",
            replied_at=now if n % 3 == 0 else None,
        )


@pytest.mark.parametrize("url_of", [profile_url, reviews_url], ids=["profile", "reviews page"])
def test_the_profile_and_reviews_page_make_the_same_queries_for_1_and_50_reviews(client, url_of, settings):
    settings.PROPOSAL_DAILY_CAP = 60  # one freelancer hired 50 times today
    freelancer = make_freelancer()
    viewer = make_freelancer()
    client.force_login(viewer)

    def queries() -> int:
        client.get(url_of(freelancer))
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url_of(freelancer)).content.decode()
        assert "Review number 0" in html
        return len(captured)

    _reviews_of(freelancer, 1)
    one = queries()
    _reviews_of(freelancer, 49)
    assert queries() == one
