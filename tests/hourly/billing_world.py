"""Hourly contracts for the billing tests: a contract at a small rate, time logged under the
logging helper's lock discipline (the week's timesheet made once, then its row locked and checked
open), the client's saved card on the fake Stripe, and the week's bill run as the beat would."""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import Sum

from escrow.models import LedgerEntry
from escrow.services.charges import customer_for
from marketplace.contracts.models import Contract
from marketplace.core.exceptions import Conflict
from marketplace.hourly import weeks
from marketplace.hourly.models import TimeEntry, Timesheet
from tests.factories import make_hourly_contract

RATE = 5_000  # $50.00 an hour
# A Monday; its week is billed from the next Monday 12:00 UTC.
MONDAY = datetime(2026, 11, 2, tzinfo=UTC)
DUE = weeks.billing_due_at(MONDAY.date())


def hourly_contract(*, rate_minor: int = RATE, **fields) -> Contract:
    return make_hourly_contract(rate_minor=rate_minor, **fields)


def week_of(contract: Contract, moment: datetime = MONDAY) -> Timesheet:
    week, _ = Timesheet.objects.get_or_create(
        contract=contract, week_start=weeks.week_start_of(moment), defaults={"currency": contract.currency}
    )
    return week


def log_time(contract: Contract, started_at: datetime, minutes: int, memo: str = "Work") -> TimeEntry:
    """An entry as the logging service writes one: the week's row locked, refused unless open."""
    with transaction.atomic():
        week = Timesheet.objects.select_for_update().get(pk=week_of(contract, started_at).pk)
        if week.status != Timesheet.Status.OPEN:
            raise Conflict("This week is billed; its time can no longer change.", code="week_closed")
        return TimeEntry.objects.create(
            timesheet=week, started_at=started_at, minutes=minutes, memo=memo, created_by=contract.freelancer
        )


def save_card(fake, user, payment_method: str = "pm_card_visa") -> str:
    """Attach a test card to the payer's processor customer, as the card form's "save" does."""
    return fake.post(f"/v1/payment_methods/{payment_method}/attach", customer=customer_for(user))["id"]


def ledger_balanced() -> bool:
    return (LedgerEntry.objects.aggregate(total=Sum("amount_minor"))["total"] or 0) == 0


def intents_of(fake, contract: Contract) -> list[dict]:
    group = f"contract-{contract.pk}"
    return [pi for pi in fake.list("/v1/payment_intents") if pi["transfer_group"] == group]


def paid_intents(fake, contract: Contract) -> list[dict]:
    return [pi for pi in intents_of(fake, contract) if pi["status"] == "succeeded"]


def after(moment: datetime, **delta) -> datetime:
    return moment + timedelta(**delta)
