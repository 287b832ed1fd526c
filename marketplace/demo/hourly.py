"""Hourly contracts in the demo: time logged through the logging service, weeks billed and charged
off session through the billing service against the local fake Stripe, one week approved and paid.

- "Store sales dashboard in Power BI" (Northwind): the client's card is saved. The week before last
  was charged, approved early and paid out; last week was charged and waits for the client's review
  (until Friday); this week has the time logged so far.
- "Illustrations for a children's picture book": no card is saved, so last week's charge failed and
  the contract is paused until the client pays that week on its page.

A contract that has any week already is left alone, so a second run does nothing and what people did
in the demo stays.
"""

import logging
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from escrow.services.charges import customer_for
from marketplace.contracts.models import Contract
from marketplace.core.exceptions import DomainError
from marketplace.hourly import weeks
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services.billing import timesheet_bill, timesheet_charge
from marketplace.hourly.services.review import timesheet_approve
from marketplace.hourly.services.time_entries import entry_log
from marketplace.organisations.models import Membership, Role

from .accounts import Step, logins_with
from .jobs import hired_people
from .money import payouts_set_up, send_queued

logger = logging.getLogger(__name__)

# What the freelancer did each working day of a demo week: (hour of the day in UTC, minutes, memo).
WORKDAY = [(9, 150, "Data model and measures"), (13, 120, "Report pages and review notes")]


@dataclass(frozen=True)
class HourlyPlan:
    job_title: str
    card_saved: bool  # the client saved a card: the weeks are charged; else the charge fails
    finished_weeks: int  # how many weeks before this one have time logged and are billed
    paid_weeks: int  # of the two finished weeks, how many (oldest first) are approved and paid
    client_sees: str
    freelancer_sees: str


HOURLY = [
    HourlyPlan(
        "Store sales dashboard in Power BI",
        card_saved=True,
        finished_weeks=2,
        paid_weeks=1,
        client_sees="the hourly Power BI contract: a week to review, one paid, this week's time",
        freelancer_sees="Freelancer on Northwind's dashboard, by the hour: timer, weeks billed and paid",
    ),
    HourlyPlan(
        "Illustrations for a children's picture book",
        card_saved=False,
        finished_weeks=1,
        paid_weeks=0,
        client_sees="Client (Harbour Books): an hourly contract paused, last week's payment failed: pay it",
        freelancer_sees="Freelancer on Harbour Books' picture book: paused until the client pays a week",
    ),
]


def _save_card(user) -> None:
    """Attach the test card to the client's processor customer, as the card form's "save" does."""
    request = urllib.request.Request(  # noqa: S310 (the configured fake Stripe)
        f"{settings.STRIPE_API_BASE}/v1/payment_methods/pm_card_visa/attach",
        data=urlencode({"customer": customer_for(user)}).encode(),
        headers={"Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=settings.STRIPE_TIMEOUT_SECONDS):  # noqa: S310
        pass


def _log_week(contract: Contract, week_start, now: datetime) -> None:
    """Log the working days of the week up to ``now`` (Monday to Thursday)."""
    start, _end = weeks.week_bounds(week_start)
    for day in range(4):
        for hour, minutes, memo in WORKDAY:
            started = start + timedelta(days=day, hours=hour)
            if started + timedelta(minutes=minutes) <= now:
                entry_log(
                    acting_user=contract.freelancer,
                    contract=contract,
                    started_at=started,
                    minutes=minutes,
                    memo=memo,
                    now=now,
                )


def _bill(contract: Contract, week_start) -> Timesheet:
    """Bill the week as the Monday sweep would, and charge it now (the task's own service)."""
    week = Timesheet.objects.get(contract=contract, week_start=week_start)
    timesheet_bill(timesheet_id=week.pk, now=weeks.billing_due_at(week_start))
    week.refresh_from_db()
    if week.status == Timesheet.Status.CHARGING:
        week = timesheet_charge(timesheet_id=week.pk)
    return week


def _approver(contract: Contract):
    """Who approves the week: the client, or for an organisation's contract its owner (a hiring
    manager, who posted the job, may not approve payments)."""
    if contract.organisation_id is None:
        return contract.client
    owner = Membership.objects.filter(organisation_id=contract.organisation_id, role=Role.OWNER).first()
    return owner.user if owner else contract.client


def hourly_seed(plan: HourlyPlan) -> bool:
    """Log, bill and pay the plan's weeks; True when anything moved."""
    client_email, _freelancer_email = hired_people(plan.job_title)
    contract = (
        Contract.objects.filter(job__title=plan.job_title, client__email=client_email, budget_type="hourly")
        .select_related("client", "freelancer")
        .first()
    )
    if contract is None or contract.status != Contract.Status.ACTIVE or contract.timesheets.exists():
        return False
    now = timezone.now()
    this_week = weeks.week_start_of(now)
    finished = [this_week - timedelta(days=7 * n) for n in range(plan.finished_weeks, 0, -1)]
    try:
        payouts_set_up(contract.freelancer)
        if plan.card_saved:
            _save_card(contract.client)
        for week_start in finished:
            _log_week(contract, week_start, now)
        for n, week_start in enumerate(finished):
            week = _bill(contract, week_start)
            if n < plan.paid_weeks and week.status == Timesheet.Status.IN_REVIEW:
                timesheet_approve(acting_user=_approver(contract), timesheet=week)
                send_queued(week.hold_id)
            if week.status == Timesheet.Status.PAYMENT_FAILED:
                break  # the contract is paused: no more time until the client pays
        else:
            _log_week(contract, this_week, now)
    except DomainError as exc:
        logger.warning("Demo hours of “%s” stopped: %s", plan.job_title, exc.message)
    return True


def seed_steps() -> list[Step]:
    return [Step(f"hourly: {plan.job_title}", lambda plan=plan: hourly_seed(plan)) for plan in HOURLY]


def demo_counts() -> dict[str, int]:
    billed = Timesheet.objects.filter(contract__job__title__in=[plan.job_title for plan in HOURLY])
    return {"hourly weeks billed": billed.exclude(status__in=[Timesheet.Status.OPEN]).count()}


def demo_logins(logins: list[tuple[str, str]]) -> list[tuple[str, str]]:
    for plan in HOURLY:
        client, freelancer = hired_people(plan.job_title)
        logins = logins_with(logins, {client: plan.client_sees, freelancer: plan.freelancer_sees})
    return logins
