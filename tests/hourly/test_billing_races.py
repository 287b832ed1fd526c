"""A week is billed exactly once: two billing sweeps at once, two charge tasks at once, and a bill
racing a late time entry, each pair of threads released together at a barrier on their own
PostgreSQL connections. The lock is the week's ``Timesheet`` row, which the bill and every writer of
the week's entries take first (and the writer then checks the week is still open)."""

import pytest

from escrow.models import Hold
from marketplace.core.exceptions import Conflict, DependencyUnavailable
from marketplace.core.models import StatusChange
from marketplace.hourly.models import TimeEntry, Timesheet
from marketplace.hourly.services.billing import timesheet_charge, weeks_bill_due
from tests.hourly.billing_world import (
    DUE,
    MONDAY,
    after,
    hourly_contract,
    intents_of,
    log_time,
    paid_intents,
    save_card,
)
from tests.support.concurrently import at_once

pytestmark = pytest.mark.django_db(transaction=True)
Status = Timesheet.Status


def _billings(week: Timesheet) -> int:
    return StatusChange.objects.filter(
        target_type="hourly.timesheet", target_id=week.pk, from_status=Status.OPEN
    ).count()


def test_two_sweeps_at_once_bill_the_week_once_and_charge_it_once(stripe_fake):
    contract = hourly_contract()
    save_card(stripe_fake, contract.client)
    log_time(contract, after(MONDAY, hours=9), 180)

    first, second = at_once(lambda: weeks_bill_due(now=DUE), lambda: weeks_bill_due(now=DUE))

    assert sorted([first["billed"], second["billed"]]) == [0, 1], (first, second)
    week = Timesheet.objects.get(contract=contract)
    assert week.status == Status.CHARGING
    assert _billings(week) == 1
    assert Hold.objects.filter(reference=f"timesheet:{week.pk}").count() == 1

    # Two charge tasks at once (a retry overlapping the first run): one PaymentIntent.
    outcomes = at_once(
        lambda: timesheet_charge(timesheet_id=week.pk), lambda: timesheet_charge(timesheet_id=week.pk)
    )
    for outcome in outcomes:  # the loser may have found the key in use: it would retry
        assert not isinstance(outcome, Exception) or isinstance(outcome, DependencyUnavailable), outcome
    timesheet_charge(timesheet_id=week.pk)
    week.refresh_from_db()
    assert week.status == Status.IN_REVIEW
    assert len(intents_of(stripe_fake, contract)) == 1
    assert len(paid_intents(stripe_fake, contract)) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_a_late_entry_is_either_billed_or_refused(stripe_fake, attempt):
    contract = hourly_contract()
    log_time(contract, after(MONDAY, hours=9), 60)

    bill, late = at_once(
        lambda: weeks_bill_due(now=DUE), lambda: log_time(contract, after(MONDAY, days=6, hours=22), 30)
    )

    assert bill["billed"] == 1, bill
    week = Timesheet.objects.get(contract=contract)
    logged = sum(TimeEntry.objects.filter(timesheet=week).values_list("minutes", flat=True))
    assert week.minutes == logged, "an entry was added to a billed week and never billed"
    if isinstance(late, Exception):
        assert isinstance(late, Conflict), late
        assert week.minutes == 60
    else:
        assert week.minutes == 90
