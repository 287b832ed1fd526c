"""The client's review of a billed week: approving early releases the week at once, less the
freelancer fee (the ledger to the cent); the week is released when the transfer is paid, and stays
approved while the freelancer cannot be paid. An undisputed week is approved and released by the
sweep only after Friday 23:59:59 UTC; a disputed one is not. Who may approve."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db.models import Sum

from escrow.models import Hold, LedgerAccount, LedgerEntry, Settlement, Transfer
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import transfer_send
from marketplace.core.exceptions import Conflict, NotFound, PermissionDenied
from marketplace.core.models import StatusChange
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.review import timesheet_approve
from marketplace.hourly.tasks import hourly_release_due_weeks
from marketplace.organisations.models import Role
from tests.escrow.money_world import onboard
from tests.factories import add_member, make_organisation, make_user
from tests.hourly.support import WEEK, hourly_contract, in_review_week, usd

Status = Timesheet.Status
Kind = LedgerAccount.Kind
BILLED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _balance(hold, kind, **owner) -> int:
    entries = LedgerEntry.objects.filter(account__kind=kind, transaction__hold=hold, **owner)
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


@pytest.mark.django_db
def test_early_approval_releases_the_week_less_the_freelancer_fee(stripe_fake):
    week = in_review_week(minutes=(120, 90, 45), fake=stripe_fake)  # 4 h 15 at $60 = $255.00
    connected_account_sync(account_id=onboard(stripe_fake, week.contract.freelancer).account_id)
    assert (week.amount_minor, week.hold.client_fee_minor, week.hold.freelancer_fee_minor) == (
        25_500,
        1_275,
        2_550,
    )

    approved = timesheet_approve(acting_user=week.contract.client, timesheet=week)

    assert approved.status == Status.APPROVED
    assert approved.approved_by == week.contract.client
    hold = Hold.objects.get(pk=week.hold_id)
    assert hold.status == Hold.Status.SETTLED
    settlement = Settlement.objects.get(hold=hold)
    assert (settlement.kind, settlement.principal_minor, settlement.freelancer_fee_minor) == (
        "release",
        25_500,
        2_550,
    )
    assert _balance(hold, Kind.ESCROW_HELD) == 0
    assert _balance(hold, Kind.FREELANCER_PAYABLE) == 22_950
    assert _balance(hold, Kind.PLATFORM_REVENUE) == 1_275 + 2_550
    transfer = Transfer.objects.get(settlement=settlement)
    assert transfer.amount_minor == 22_950

    transfer_send(transfer.pk)

    week.refresh_from_db()
    assert week.status == Status.RELEASED
    assert week.released_at is not None
    sent = [
        t for t in stripe_fake.list("/v1/transfers") if t["transfer_group"] == f"contract-{week.contract_id}"
    ]
    assert [t["amount"] for t in sent] == [22_950]
    assert _balance(hold, Kind.FREELANCER_PAYABLE) == 0


@pytest.mark.django_db
def test_an_approved_week_waits_approved_while_the_freelancer_cannot_be_paid():
    week = in_review_week()
    timesheet_approve(acting_user=week.contract.client, timesheet=week)
    week.refresh_from_db()
    assert week.status == Status.APPROVED
    assert Transfer.objects.get(settlement__hold=week.hold).status == Transfer.Status.BLOCKED


@pytest.mark.django_db
def test_a_week_is_approved_once():
    week = in_review_week()
    timesheet_approve(acting_user=week.contract.client, timesheet=week)
    with pytest.raises(Conflict) as refused:
        timesheet_approve(acting_user=week.contract.client, timesheet=Timesheet.objects.get(pk=week.pk))
    assert refused.value.code == "illegal_transition"
    assert Settlement.objects.filter(hold=week.hold).count() == 1


@pytest.mark.django_db
def test_the_sweep_releases_a_week_only_after_friday_235959_utc():
    with time_machine.travel(BILLED, tick=False):
        week = in_review_week(week_start=WEEK, funded_at=BILLED)
    assert week.review_by == datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC)

    for moment in (
        datetime(2026, 12, 4, 23, 59, 58, tzinfo=UTC),
        datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC),
    ):
        with time_machine.travel(moment, tick=False):
            assert hourly_release_due_weeks() == {"approved": 0}
        week.refresh_from_db()
        assert week.status == Status.IN_REVIEW, moment

    with time_machine.travel(datetime(2026, 12, 5, 0, 0, 0, tzinfo=UTC), tick=False):
        assert hourly_release_due_weeks() == {"approved": 1}
        assert hourly_release_due_weeks() == {"approved": 0}  # idempotent
    week.refresh_from_db()
    assert week.status == Status.APPROVED
    assert week.approved_by is None
    change = StatusChange.objects.get(target_type="hourly.timesheet", target_id=week.pk, to_status="approved")
    assert change.actor_id is None
    assert "automatically" in change.reason
    assert Settlement.objects.get(hold=week.hold).principal_minor == week.amount_minor


@pytest.mark.django_db
def test_a_disputed_week_is_not_released_by_the_sweep():
    from marketplace.disputes.services import dispute_open_week

    with time_machine.travel(BILLED, tick=False):
        week = in_review_week(week_start=WEEK, funded_at=BILLED)
        entry = week.entries.first()
        dispute_open_week(
            acting_user=week.contract.client,
            timesheet=week,
            reason="quality",
            description="These hours were not worked as logged.",
            entries=[{"entry": entry.pk, "amount": usd(1_000)}],
        )
    with time_machine.travel(datetime(2026, 12, 9, tzinfo=UTC), tick=False):
        assert hourly_release_due_weeks() == {"approved": 0}
    week.refresh_from_db()
    assert week.status == Status.DISPUTED
    assert not Settlement.objects.filter(hold=week.hold).exists()


@pytest.mark.django_db
def test_who_may_approve():
    owner = make_user()
    organisation = make_organisation(owner=owner)
    contract = hourly_contract(client=owner, organisation=organisation)
    week = in_review_week(contract)
    viewer = add_member(organisation, Role.VIEWER)
    finance = add_member(organisation, Role.FINANCE)

    def refused(user, exc_type, code):
        with pytest.raises(exc_type) as caught:
            timesheet_approve(acting_user=user, timesheet=Timesheet.objects.get(pk=week.pk))
        assert caught.value.code == code

    refused(contract.freelancer, PermissionDenied, "not_client_side")
    refused(viewer, PermissionDenied, "role_forbids")
    refused(make_user(), NotFound, "timesheet_not_found")
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    # A member whose role approves payments does.
    assert timesheet_approve(acting_user=finance, timesheet=week).status == Status.APPROVED
