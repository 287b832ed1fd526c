"""Hourly contracts for the logging tests, through the real hiring path (job, proposal, offer,
acceptance), and small readers of what was logged."""

from datetime import UTC, datetime

from marketplace.contracts.models import Contract
from marketplace.hourly.models import TimeEntry, Timesheet
from tests.factories import make_hourly_contract as hourly_contract  # noqa: F401 (the tests' builder)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def logged_minutes(contract: Contract, week_start) -> int:
    return sum(
        TimeEntry.objects.filter(timesheet__contract=contract, timesheet__week_start=week_start).values_list(
            "minutes", flat=True
        )
    )


def close_week(contract: Contract, week_start, status: str = Timesheet.Status.EMPTY) -> Timesheet:
    """Mark a week billed the way billing would leave a week with no money yet (``empty``) or with a
    failed charge (``payment_failed``, which pauses the contract): the states logging must respect."""
    sheet, _ = Timesheet.objects.get_or_create(
        contract=contract, week_start=week_start, defaults={"currency": contract.currency}
    )
    Timesheet.objects.filter(pk=sheet.pk).update(status=status)
    sheet.refresh_from_db()
    return sheet
