"""Weeks of hourly contracts in review, for the review tests — the one module to swap for the
billing services once they are on main (``hourly/services/billing.py`` closes a week, charges it
off-session and moves it to review through escrow's ``hold_funded``).

Until then a week is built here: the timesheet and its entries as rows, its hold through escrow's
``hold_create`` (``reference="timesheet:<pk>"``), funded through the real result step of a paid
charge — a charge row standing for the card payment (as ``tests/disputes/world.py`` does), or with
``fake`` the fake Stripe's PaymentIntent paid in the browser (so a release's transfer can be sent) —
and moved open → charging with ``transition``; funding moves it to review (billing's ``hold_funded``
receiver, or here when that is absent), its review deadline from ``weeks.review_deadline``.
"""

from datetime import UTC, date, datetime, timedelta
from itertools import count

from django.db import transaction
from django.utils import timezone

from escrow import locks
from escrow.models import Charge
from escrow.services.charges import charge_start, charge_sync
from escrow.services.holds import hold_create, hold_fund
from marketplace.core.money import Money
from marketplace.core.transitions import transition
from marketplace.hourly import weeks
from marketplace.hourly.models import TimeEntry, Timesheet
from tests.factories import make_hourly_contract

_serial = count(1)
RATE = 6_000  # $60.00 an hour
# A Monday for tests on a moving clock: the week of 2026-11-23 is billed on Monday 2026-11-30 12:00
# UTC and, funded then, reviewed until Friday 2026-12-04 23:59:59 UTC.
WEEK = date(2026, 11, 23)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


def hourly_contract(rate_minor: int = RATE, **fields):
    """An hourly contract through the real hiring path (the proposal's amount is the rate)."""
    return make_hourly_contract(rate_minor=rate_minor, **fields)


def in_review_week(
    contract=None,
    *,
    minutes=(120, 90, 45),
    week_start: date | None = None,
    funded_at: datetime | None = None,
    fake=None,
) -> Timesheet:
    """A billed, funded week in review on ``contract`` (an hourly one by default) with one entry per
    item of ``minutes``, a day apart from Monday 09:00 UTC. By default the week before this one,
    funded now (so its review runs at least ``HOURLY_REVIEW_MIN_DAYS`` from now)."""
    contract = contract or hourly_contract()
    week_start = week_start or weeks.week_start_of(timezone.now()) - timedelta(days=7)
    rate = contract.amount_minor
    total = sum(minutes)
    amount = weeks.amount_minor(total, rate)
    start, _end = weeks.week_bounds(week_start)
    with transaction.atomic():
        timesheet = Timesheet.objects.create(
            contract=contract, week_start=week_start, currency=contract.currency
        )
        for n, length in enumerate(minutes):
            TimeEntry.objects.create(
                timesheet=timesheet,
                started_at=start + timedelta(days=n, hours=9),
                minutes=length,
                memo=f"Work on day {n + 1}",
                created_by=contract.freelancer,
            )
        hold = hold_create(
            payer=contract.client,
            payee=contract.freelancer,
            amount=Money(amount, contract.currency),
            client_fee_bp=contract.client_fee_bp,
            freelancer_fee_bp=contract.freelancer_fee_bp,
            reference=f"timesheet:{timesheet.pk}",
            transfer_group=f"contract-{contract.pk}",
            description=f"{contract.title}: week of {week_start}",
        )
        billed_at = weeks.billing_due_at(week_start)
        transition(
            timesheet,
            Timesheet.Status.CHARGING,
            reason="Billed",
            minutes=total,
            rate_minor=rate,
            amount_minor=amount,
            hold=hold,
            billed_at=billed_at,
        )
    _fund(hold, fake)
    funded_at = funded_at or timezone.now()
    timesheet.refresh_from_db()
    if timesheet.status == Timesheet.Status.CHARGING:  # no receiver of hold_funded moved it
        with transaction.atomic():
            transition(
                timesheet,
                Timesheet.Status.IN_REVIEW,
                reason="Paid",
                funded_at=funded_at,
                review_by=weeks.review_deadline(funded_at),
            )
    else:  # billing's receiver moved it to review, funded now: the moment the test chose instead
        assert timesheet.status == Timesheet.Status.IN_REVIEW, timesheet.status
        Timesheet.objects.filter(pk=timesheet.pk).update(
            funded_at=funded_at, review_by=weeks.review_deadline(funded_at)
        )
    timesheet.refresh_from_db()
    return timesheet


def _fund(hold, fake) -> None:
    if fake is not None:
        from tests.escrow.money_world import pay_in_browser

        charge = charge_start(hold=hold)
        pay_in_browser(fake, charge.payment_intent_id)
        charge_sync(payment_intent_id=charge.payment_intent_id)
        return
    n = next(_serial)
    with transaction.atomic():
        locked = locks.lock_hold(hold)
        charge = Charge.objects.create(
            hold=locked,
            idempotency_key=f"hourly-test-{n}-{hold.pk}",
            status=Charge.Status.SUCCEEDED,
            amount_minor=locked.charge_amount_minor,
            currency=locked.currency,
            payment_intent_id=f"pi_hourly_{n}_{hold.pk}",
            charge_id=f"ch_hourly_{n}_{hold.pk}",
        )
        hold_fund(hold=locked, charge=charge)


def review_ends(week_start: date = WEEK) -> datetime:
    """The review deadline of a week funded when it was billed: that Friday 23:59:59 UTC."""
    return weeks.review_deadline(weeks.billing_due_at(week_start))


assert review_ends() == datetime(2026, 12, 4, 23, 59, 59, tzinfo=UTC)
