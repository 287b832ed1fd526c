"""Every read of hourly billing, visibility applied."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Sum

from escrow.fees import fee_breakdown
from marketplace.contracts.models import Contract
from marketplace.jobs.models import BudgetType

from . import weeks
from .models import Timesheet


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
