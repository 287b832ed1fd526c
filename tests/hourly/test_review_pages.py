"""The pages of a week's review: the review box both sides see (the deadline in the viewer's time
zone, the client's approve button, the dispute link), approving from it, the dispute form that ticks
entries with the amount in question each, and the dispute pages (a party's and support's) showing the
week's entries with what is in question. Real services underneath."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from marketplace.disputes.models import Dispute
from marketplace.hourly.models import Timesheet
from marketplace.organisations.models import Role
from tests.disputes.world import escalated, make_support
from tests.factories import add_member, make_organisation, make_user
from tests.hourly.support import WEEK, hourly_contract, in_review_week

pytestmark = pytest.mark.django_db
BILLED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def review_box(week, side, user) -> str:
    request = RequestFactory().get(f"/contracts/{week.contract_id}/weeks/{week.pk}/")
    request.user = user
    return render_to_string(
        "frontend/hourly/_week_review.html",
        {"timesheet": week, "contract": week.contract, "side": side, "can_approve": side == "client"},
        request=request,
    )


def test_the_review_box_counts_down_to_friday_in_the_viewers_time_zone():
    with time_machine.travel(BILLED, tick=False):
        week = in_review_week(week_start=WEEK, funded_at=BILLED)
    with time_machine.travel(datetime(2026, 12, 2, 23, 59, 59, tzinfo=UTC), tick=False):
        with timezone.override("Pacific/Honolulu"):
            client = text_of(review_box(week, "client", week.contract.client))
        freelancer = text_of(review_box(week, "freelancer", week.contract.freelancer))
    # Friday 23:59:59 UTC is Friday 13:59 in Honolulu (UTC-10).
    assert "Approve or dispute by Fri 4 Dec, 13:59 HST" in client
    assert "(in 2 days)" in client
    assert "Approve and pay $255.00" in client
    assert "Dispute hours" in client
    assert "Paid automatically on Fri 4 Dec, 23:59 UTC" in freelancer
    assert "Approve and pay" not in freelancer
    assert "Dispute hours" in freelancer


def test_the_client_approves_from_the_page_and_others_are_refused(client):
    week = in_review_week()
    url = reverse("frontend:week_approve", args=[week.pk])
    client.force_login(week.contract.freelancer)
    assert client.post(url).status_code == 403
    client.force_login(make_user())
    assert client.post(url).status_code == 404
    client.force_login(week.contract.client)
    back = f"/contracts/{week.contract_id}/"
    response = client.post(url, {"next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    week.refresh_from_db()
    assert week.status == Timesheet.Status.APPROVED
    # Again: a message on the page, not an error page.
    assert client.post(url, {"next": back}).status_code == 302


def test_the_approve_button_is_for_roles_that_approve_payments(client):
    """A viewer of the client's organisation sees the review but no button (pressing it would be
    refused); the owner, who approves payments, sees it (positive control)."""
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    viewer = add_member(organisation, Role.VIEWER)
    week = in_review_week(hourly_contract(client=owner, organisation=organisation))
    page = f"/contracts/{week.contract_id}/weeks/{week.pk}/"
    client.force_login(viewer)
    seen = client.get(page)
    assert seen.status_code == 200
    assert b"data-week-review" in seen.content
    assert b"data-approve-week" not in seen.content
    client.force_login(owner)
    assert b"data-approve-week" in client.get(page).content


def test_the_dispute_form_ticks_entries_with_their_amounts(client):
    week = in_review_week(minutes=(120, 90, 45))
    first, second, third = week.entries.order_by("started_at")
    url = reverse("frontend:dispute_open_week", args=[week.pk])
    client.force_login(week.contract.client)
    page = client.get(url).content.decode()
    assert f'name="pick_{first.pk}"' in page
    assert 'value="120.00"' in page  # an entry's cost, prefilled

    form = {"reason": "quality", "description": "These hours were not worked as logged."}
    too_much = client.post(url, {**form, f"pick_{first.pk}": "on", f"amount_{first.pk}": "120.01"})
    assert too_much.status_code == 400
    assert "no more of it can be in question" in text_of(too_much.content.decode())
    nothing = client.post(url, form)
    assert nothing.status_code == 400
    assert "Tick the entries in question" in text_of(nothing.content.decode())

    opened = client.post(
        url,
        {
            **form,
            f"pick_{first.pk}": "on",
            f"amount_{first.pk}": "60.00",
            f"minutes_{first.pk}": "60",
            f"pick_{second.pk}": "on",
            f"amount_{second.pk}": "45.00",
            f"amount_{third.pk}": "45.00",  # not ticked: not in question
        },
    )
    assert opened.status_code == 302, opened.content.decode()[:2000]
    dispute = Dispute.objects.get()
    assert opened["Location"] == reverse("frontend:dispute_detail", args=[dispute.pk])
    assert dispute.amount_minor == 10_500
    assert sorted(dispute.entries.values_list("entry_id", "minutes", "amount_minor")) == [
        (first.pk, 60, 6_000),
        (second.pk, 90, 4_500),
    ]

    detail = text_of(client.get(opened["Location"]).content.decode())
    assert "Dispute about the week of" in detail
    assert "In question: 150 minutes, $105.00" in detail
    assert "$60.00 (60 min)" in detail
    # The form again: the week is disputed, so it leads to the dispute.
    assert client.get(url)["Location"] == opened["Location"]

    support = make_support()
    client.force_login(support)
    case = text_of(
        client.get(reverse("frontend:support_dispute", args=[escalated(dispute).pk])).content.decode()
    )
    assert "$45.00 (90 min)" in case
    assert "Of the $255.00 week" in case


def test_only_a_side_opens_the_form(client):
    week = in_review_week()
    url = reverse("frontend:dispute_open_week", args=[week.pk])
    client.force_login(make_user())
    assert client.get(url).status_code == 404
    client.force_login(week.contract.freelancer)
    assert client.get(url).status_code == 200
