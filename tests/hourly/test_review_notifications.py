"""Who hears of a week's review: approved → the freelancer (and the client side when the review
ended on its own), released → the freelancer, disputed → the other side (the disputes' notice)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from escrow.models import Transfer
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import transfer_send
from marketplace.disputes.services import dispute_open_week
from marketplace.hourly.services.review import timesheet_approve, timesheets_release_due
from messaging.models import Notification
from tests.escrow.money_world import onboard
from tests.hourly.support import in_review_week, usd

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def _titles(user, kind):
    return list(Notification.objects.filter(recipient=user, kind=kind).values_list("title", flat=True))


def test_approval_and_payment_are_told_to_the_freelancer(stripe_fake, django_capture_on_commit_callbacks):
    week = in_review_week(fake=stripe_fake)
    contract = week.contract
    connected_account_sync(account_id=onboard(stripe_fake, contract.freelancer).account_id)
    with django_capture_on_commit_callbacks(execute=True):
        timesheet_approve(acting_user=contract.client, timesheet=week)
    week_name = f"the week of {week.week_start:%-d %b}"
    assert _titles(contract.freelancer, Kind.MILESTONE_APPROVED) == [
        f"Approved: {week_name} on “{contract.title}”"
    ]
    assert _titles(contract.client, Kind.MILESTONE_APPROVED) == []  # they did it
    with django_capture_on_commit_callbacks(execute=True):
        transfer_send(Transfer.objects.get(settlement__hold=week.hold_id).pk)
    assert f"Paid: $229.50 for {week_name}" in _titles(contract.freelancer, Kind.PAYMENT_SENT)


def test_the_automatic_approval_is_told_to_both_sides(django_capture_on_commit_callbacks):
    week = in_review_week()
    with django_capture_on_commit_callbacks(execute=True):
        timesheets_release_due(now=timezone.now() + timedelta(days=30))
    contract = week.contract
    assert len(_titles(contract.freelancer, Kind.MILESTONE_APPROVED)) == 1
    assert _titles(contract.client, Kind.MILESTONE_APPROVED)[0].startswith(
        "Paid to the freelancer: the week of"
    )


def test_a_disputed_week_is_told_to_the_other_side(django_capture_on_commit_callbacks):
    week = in_review_week()
    with django_capture_on_commit_callbacks(execute=True):
        dispute_open_week(
            acting_user=week.contract.client,
            timesheet=week,
            reason="quality",
            description="These hours were not worked as logged.",
            entries=[{"entry": week.entries.first().pk, "amount": usd(1_000)}],
        )
    (title,) = _titles(week.contract.freelancer, Kind.DISPUTE_OPENED)
    assert f"the week of {week.week_start:%-d %b}" in title
