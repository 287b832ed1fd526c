"""Every read of hourly billing, visibility applied.

A week is seen by whoever sees its contract (``marketplace.contracts.selectors``): the freelancer, the
client side in any role, staff, and the organisation's API keys. The reads here take a contract the
caller has been allowed to see, or filter through ``contracts_visible_to``. Each read is a fixed
number of queries, whatever the number of entries or weeks.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from escrow.fees import fee_breakdown
from marketplace.accounts.models import User
from marketplace.contracts.models import Contract
from marketplace.contracts.selectors import contracts_of, contracts_visible_to
from marketplace.core.exceptions import NotFound
from marketplace.jobs.models import BudgetType

from . import weeks
from .models import RunningTimer, TimeEntry, Timesheet
from .weeks import amount_minor, week_bounds, week_start_of


@dataclass
class Day:
    day: date
    minutes: int = 0


@dataclass
class WeekView:
    """One week of a contract as the pages and the API show it: its timesheet (an unsaved open one
    when nothing was logged yet), entries oldest first, minutes per UTC day, and the cap left."""

    contract: Contract
    timesheet: Timesheet
    entries: list[TimeEntry]
    days: list[Day] = field(default_factory=list)

    @property
    def week_start(self) -> date:
        return self.timesheet.week_start

    @property
    def last_day(self) -> date:
        """The week's Sunday (UTC)."""
        return self.week_start + timedelta(days=6)

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        return week_bounds(self.week_start)

    @property
    def minutes(self) -> int:
        return sum(entry.minutes for entry in self.entries)

    @property
    def cap_minutes(self) -> int | None:
        cap = self.contract.weekly_hour_cap
        return None if cap is None else cap * 60

    @property
    def minutes_left(self) -> int | None:
        cap = self.cap_minutes
        return None if cap is None else max(cap - self.minutes, 0)

    @property
    def is_open(self) -> bool:
        return self.timesheet.status == Timesheet.Status.OPEN

    @property
    def amount_minor(self) -> int:
        """What the week costs: as billed, or so far (minutes times rate) while open."""
        if self.timesheet.amount_minor is not None:
            return self.timesheet.amount_minor
        return amount_minor(self.minutes, self.contract.amount_minor)


def _days(week_start: date, entries: list[TimeEntry]) -> list[Day]:
    days = [Day(week_start + timedelta(days=n)) for n in range(7)]
    for entry in entries:
        days[(entry.started_at.date() - week_start).days].minutes += entry.minutes
    return days


def week_of(contract: Contract, week_start: date) -> WeekView:
    """The contract's week starting ``week_start`` (a Monday): two queries."""
    sheet = Timesheet.objects.filter(contract=contract, week_start=week_start).first()
    if sheet is None:
        sheet = Timesheet(contract=contract, week_start=week_start, currency=contract.currency)
        entries: list[TimeEntry] = []
    else:
        sheet.contract = contract
        entries = list(sheet.entries.order_by("started_at", "id"))
        for entry in entries:
            entry.timesheet = sheet
    return WeekView(contract=contract, timesheet=sheet, entries=entries, days=_days(week_start, entries))


def current_week(contract: Contract, now: datetime | None = None) -> WeekView:
    return week_of(contract, week_start_of(now or timezone.now()))


def timesheet_week(timesheet: Timesheet) -> WeekView:
    """A timesheet already read (with its contract) as its week: one query for its entries."""
    entries = list(timesheet.entries.order_by("started_at", "id"))
    for entry in entries:
        entry.timesheet = timesheet
    return WeekView(
        contract=timesheet.contract,
        timesheet=timesheet,
        entries=entries,
        days=_days(timesheet.week_start, entries),
    )


def weeks_of(contract: Contract) -> QuerySet[Timesheet]:
    """The contract's weeks, newest first, each with ``logged`` (its entries' minutes): one query
    per page."""
    return (
        Timesheet.objects.filter(contract=contract)
        .annotate(logged=Coalesce(Sum("entries__minutes"), 0))
        .order_by("-week_start")
    )


def past_weeks(contract: Contract, now: datetime | None = None) -> QuerySet[Timesheet]:
    """The weeks before the current one (billed or waiting to be), newest first."""
    return weeks_of(contract).filter(week_start__lt=week_start_of(now or timezone.now()))


def timesheets_visible_to(viewer) -> QuerySet[Timesheet]:
    return Timesheet.objects.filter(contract__in=contracts_visible_to(viewer).values("pk")).select_related(
        "contract"
    )


def timesheet_for_viewer(*, pk: int, viewer, contract: Contract | None = None) -> Timesheet:
    """The timesheet (with its contract) if ``viewer`` sees its contract, else 404
    ``timesheet_not_found``; with ``contract``, only that contract's."""
    sheets = timesheets_visible_to(viewer)
    if contract is not None:
        sheets = Timesheet.objects.filter(contract=contract)
    sheet = sheets.filter(pk=pk).first()
    if sheet is None:
        raise NotFound("No such week.", code="timesheet_not_found")
    if contract is not None:
        sheet.contract = contract
    return sheet


def timesheet_of_organisation(*, pk: int, organisation) -> Timesheet:
    sheet = (
        Timesheet.objects.filter(pk=pk, contract__organisation=organisation)
        .select_related("contract")
        .first()
    )
    if sheet is None:
        raise NotFound("No such week.", code="timesheet_not_found")
    return sheet


def entry_of(contract: Contract, pk: int) -> TimeEntry:
    """An entry of the contract (the caller sees the contract), else 404 ``entry_not_found``."""
    entry = TimeEntry.objects.filter(pk=pk, timesheet__contract=contract).select_related("timesheet").first()
    if entry is None:
        raise NotFound("No such time entry on this contract.", code="entry_not_found")
    entry.timesheet.contract = contract
    return entry


def entries_of(contract: Contract) -> QuerySet[TimeEntry]:
    """The contract's entries, newest first, each with its week."""
    return (
        TimeEntry.objects.filter(timesheet__contract=contract)
        .select_related("timesheet")
        .order_by("-started_at", "-id")
    )


def running_timer(contract: Contract) -> RunningTimer | None:
    return RunningTimer.objects.filter(contract=contract).first()


@dataclass
class ContractHours:
    contract: Contract
    minutes: int
    timer_since: datetime | None

    @property
    def cap_minutes(self) -> int | None:
        cap = self.contract.weekly_hour_cap
        return None if cap is None else cap * 60


def hours_this_week(user: User, now: datetime | None = None) -> list[ContractHours]:
    """The user's active hourly contracts (either side) with the minutes logged this UTC week and
    whether a timer runs: one query."""
    week = week_start_of(now or timezone.now())
    rows = (
        contracts_of(user)
        .filter(status=Contract.Status.ACTIVE, budget_type=BudgetType.HOURLY)
        .prefetch_related(None)
        .select_related("running_timer")
        .annotate(
            week_minutes=Coalesce(
                Sum("timesheets__entries__minutes", filter=Q(timesheets__week_start=week)), 0
            )
        )
    )
    return [
        ContractHours(
            contract=row,
            minutes=row.week_minutes,
            timer_since=getattr(getattr(row, "running_timer", None), "started_at", None),
        )
        for row in rows
    ]


def contract_is_paused(contract: Contract) -> bool:
    """Whether nobody may log time on the contract: a week of it is waiting for its failed payment
    (derived from the timesheets; there is no flag to forget)."""
    return Timesheet.objects.filter(contract=contract, status=Timesheet.Status.PAYMENT_FAILED).exists()


def week_payment_failed_of(contract: Contract) -> Timesheet | None:
    """The oldest week waiting for its failed payment (what the paused banner points at)."""
    return (
        Timesheet.objects.filter(contract=contract, status=Timesheet.Status.PAYMENT_FAILED)
        .order_by("week_start")
        .first()
    )


def weeks_payment_failed_of(contracts: Iterable[Contract]) -> list[Timesheet]:
    """The weeks of these contracts waiting for the client's payment, oldest first (one query)."""
    return list(
        Timesheet.objects.filter(
            contract__in=[c.pk for c in contracts], status=Timesheet.Status.PAYMENT_FAILED
        )
        .select_related("hold")
        .order_by("week_start", "pk")
    )


@dataclass(frozen=True)
class NextCharge:
    """This week's bill so far, as the client will be charged for it (an estimate: time may still be
    logged): minutes times rate plus the client fee, charged at ``charge_at``."""

    contract_id: int
    week_start: date
    minutes: int
    amount_minor: int
    client_fee_minor: int
    currency: str
    charge_at: datetime

    @property
    def logged(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        return f"{hours} h {minutes:02d} min"

    @property
    def total_minor(self) -> int:
        return self.amount_minor + self.client_fee_minor


def next_charges(contracts: Iterable[Contract], *, now: datetime) -> dict[int, NextCharge]:
    """The next charge of each hourly contract given, by contract id: one query for any number."""
    hourly = [c for c in contracts if c.budget_type == BudgetType.HOURLY]
    week_start = weeks.week_start_of(now)
    minutes = dict(
        Timesheet.objects.filter(contract__in=[c.pk for c in hourly], week_start=week_start)
        .annotate(logged=Sum("entries__minutes"))
        .values_list("contract_id", "logged")
    )
    charges = {}
    for contract in hourly:
        logged = minutes.get(contract.pk) or 0
        amount = weeks.amount_minor(logged, contract.amount_minor)
        fees = fee_breakdown(
            amount, client_fee_bp=contract.client_fee_bp, freelancer_fee_bp=contract.freelancer_fee_bp
        )
        charges[contract.pk] = NextCharge(
            contract_id=contract.pk,
            week_start=week_start,
            minutes=logged,
            amount_minor=amount,
            client_fee_minor=fees.client_fee_minor,
            currency=contract.currency,
            charge_at=weeks.billing_due_at(week_start),
        )
    return charges
