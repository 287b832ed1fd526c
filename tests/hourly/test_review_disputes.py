"""Disputing a week: in part, on the entries in question (the dispute's amount is their sum), which
freezes the week's money and moves it to disputed; support's split, the parties' settlement and the
opener's withdrawal move the week through ``timesheet_settle_by_dispute``. Refusals with their codes."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.db.models import Sum

from escrow.models import Hold, LedgerAccount, LedgerEntry, Refund, Settlement, Transfer
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.disputes import services
from marketplace.disputes.models import Dispute
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.review import timesheet_approve
from marketplace.hourly.tasks import hourly_release_due_weeks
from marketplace.organisations.models import Role
from tests.disputes.world import escalated, make_support
from tests.factories import add_member, make_organisation, make_user
from tests.hourly.support import WEEK, hourly_contract, in_review_week, usd

pytestmark = pytest.mark.django_db
Status = Timesheet.Status
Kind = LedgerAccount.Kind
BILLED = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _open(week, *, by=None, entries=None):
    first, second, _third = week.entries.order_by("started_at")
    return services.dispute_open_week(
        acting_user=by or week.contract.client,
        timesheet=week,
        reason="quality",
        description="Two of these days were not worked as logged.",
        entries=entries
        if entries is not None
        else [
            {"entry": first.pk, "amount": usd(6_000), "minutes": 60},
            {"entry": second.pk, "amount": usd(4_500)},
        ],
    )


def _balance(hold, kind) -> int:
    entries = LedgerEntry.objects.filter(account__kind=kind, transaction__hold=hold)
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


def test_a_week_disputed_in_part_and_split_by_support():
    week = in_review_week(minutes=(120, 90, 45))  # $120.00 + $90.00 + $45.00 = $255.00
    dispute = _open(week)

    assert dispute.kind == Dispute.Kind.TIMESHEET
    assert dispute.timesheet_id == week.pk
    assert dispute.milestone_id is None
    assert dispute.amount_minor == 10_500  # the sum of the entries' amounts in question
    rows = list(dispute.entries.order_by("entry__started_at").values_list("minutes", "amount_minor"))
    assert rows == [(60, 6_000), (90, 4_500)]  # minutes default to the whole entry
    week.refresh_from_db()
    assert week.status == Status.DISPUTED
    assert week.hold.status == Hold.Status.FROZEN
    with pytest.raises(Conflict) as refused:
        timesheet_approve(acting_user=week.contract.client, timesheet=week)
    assert refused.value.code == "illegal_transition"

    support = make_support()
    services.dispute_decide(
        acting_user=support,
        dispute=escalated(dispute),
        outcome=Dispute.Outcome.SPLIT,
        release=usd(15_000),
        refund=usd(10_500),
        reason="Half of the first day and the second day were not worked.",
    )

    week.refresh_from_db()
    assert week.status == Status.SPLIT
    hold = Hold.objects.get(pk=week.hold_id)
    assert hold.status == Hold.Status.SETTLED
    release, refund = Settlement.objects.filter(hold=hold).order_by("id")
    assert (
        release.kind,
        release.principal_minor,
        release.client_fee_minor,
        release.freelancer_fee_minor,
    ) == (
        "release",
        15_000,
        750,
        1_500,
    )
    assert (refund.kind, refund.principal_minor, refund.client_fee_minor) == ("refund", 10_500, 525)
    assert Transfer.objects.get(settlement=release).amount_minor == 13_500  # $150.00 less the 10 % fee
    assert Refund.objects.get(settlement=refund).amount_minor == 11_025  # $105.00 with its 5 % client fee
    assert _balance(hold, Kind.ESCROW_HELD) == 0
    assert _balance(hold, Kind.PLATFORM_REVENUE) == 750 + 1_500
    assert week.amount_minor + hold.client_fee_minor == 13_500 + 11_025 + 750 + 1_500
    dispute.refresh_from_db()
    assert (dispute.status, dispute.released_minor, dispute.refunded_minor) == ("decided", 15_000, 10_500)


def test_support_releasing_all_approves_the_week():
    week = in_review_week()
    dispute = escalated(_open(week))
    services.dispute_decide(
        acting_user=make_support(),
        dispute=dispute,
        outcome=Dispute.Outcome.RELEASE_ALL,
        reason="Worked as logged.",
    )
    week.refresh_from_db()
    assert week.status == Status.APPROVED
    assert week.approved_at is not None


def test_a_settlement_refunding_all_refunds_the_week():
    week = in_review_week()
    dispute = _open(
        week, by=week.contract.freelancer, entries=[{"entry": week.entries.first().pk, "amount": usd(100)}]
    )
    offer = services.offer_propose(
        acting_user=week.contract.freelancer, dispute=dispute, release=usd(0), refund=usd(week.amount_minor)
    )
    services.offer_accept(acting_user=week.contract.client, offer=offer)
    week.refresh_from_db()
    assert week.status == Status.REFUNDED


def test_a_withdrawn_dispute_puts_the_week_back_in_review_and_the_sweep_releases_it_when_due():
    with time_machine.travel(BILLED, tick=False):
        week = in_review_week(week_start=WEEK, funded_at=BILLED)
        dispute = _open(week)
    with time_machine.travel(datetime(2026, 12, 8, 10, tzinfo=UTC), tick=False):  # after the review ended
        services.dispute_withdraw(
            acting_user=week.contract.client, dispute=dispute, reason="We sorted it out."
        )
        week.refresh_from_db()
        assert week.status == Status.IN_REVIEW
        assert week.hold.status == Hold.Status.FUNDED
        assert week.review_by == datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC)  # the deadline it had
        assert hourly_release_due_weeks() == {"approved": 1}
    week.refresh_from_db()
    assert week.status == Status.APPROVED


def test_a_withdrawal_before_the_deadline_leaves_the_week_in_review():
    week = in_review_week()
    dispute = _open(week)
    services.dispute_withdraw(acting_user=week.contract.client, dispute=dispute, reason="We sorted it out.")
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    assert hourly_release_due_weeks() == {"approved": 0}
    # And it can be approved or disputed again.
    assert _open(week).status == Dispute.Status.OPEN


@pytest.mark.parametrize(
    ("make_entries", "code"),
    [
        (
            lambda week, other: [{"entry": week.entries.first().pk, "amount": usd(12_001)}],
            "amount_exceeds_entry",
        ),
        (lambda week, other: [{"entry": other.entries.first().pk, "amount": usd(100)}], "entry_not_in_week"),
        (
            lambda week, other: [
                {"entry": week.entries.first().pk, "amount": usd(100)},
                {"entry": week.entries.first().pk, "amount": usd(200)},
            ],
            "entry_duplicate",
        ),
        (lambda week, other: [{"entry": week.entries.first().pk, "amount": usd(0)}], "amount_not_positive"),
        (
            lambda week, other: [{"entry": week.entries.first().pk, "amount": usd(100), "minutes": 121}],
            "minutes_invalid",
        ),
        (lambda week, other: [], "entries_required"),
    ],
)
def test_bad_entries_are_refused_and_freeze_nothing(make_entries, code):
    week = in_review_week(minutes=(120, 90, 45))
    other = in_review_week(minutes=(30,))
    with pytest.raises(InvalidInput) as refused:
        _open(week, entries=make_entries(week, other))
    assert refused.value.code == code
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    assert week.hold.status == Hold.Status.FUNDED
    assert not Dispute.objects.exists()


def test_who_may_open_and_when():
    owner = make_user()
    organisation = make_organisation(owner=owner)
    week = in_review_week(hourly_contract(client=owner, organisation=organisation))
    viewer = add_member(organisation, Role.VIEWER)
    with pytest.raises(PermissionDenied) as refused:
        _open(week, by=viewer)
    assert refused.value.code == "role_forbids"
    with pytest.raises(NotFound) as refused:
        _open(week, by=make_user())
    assert refused.value.code == "timesheet_not_found"
    # The freelancer may dispute too; then nobody opens a second one.
    _open(week, by=week.contract.freelancer)
    with pytest.raises(Conflict) as refused:
        _open(Timesheet.objects.get(pk=week.pk))
    assert refused.value.code == "timesheet_not_disputable"


def test_an_approved_week_or_one_past_its_review_cannot_be_disputed():
    week = in_review_week()
    timesheet_approve(acting_user=week.contract.client, timesheet=week)
    with pytest.raises(Conflict) as refused:
        _open(week)
    assert refused.value.code == "timesheet_not_disputable"

    with time_machine.travel(BILLED, tick=False):
        late = in_review_week(week_start=WEEK, funded_at=BILLED)
    with (
        time_machine.travel(datetime(2026, 12, 5, 0, 0, 1, tzinfo=UTC), tick=False),
        pytest.raises(Conflict) as refused,
    ):
        _open(late)
    assert refused.value.code == "review_ended"
