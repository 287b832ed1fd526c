"""Hourly contracts for the logging tests, through the real hiring path (job, proposal, offer,
acceptance), and small readers of what was logged."""

from datetime import UTC, datetime

from marketplace.contracts.models import Contract
from marketplace.hourly.models import TimeEntry, Timesheet
from tests.factories import make_freelancer, make_job, make_offer, make_proposal

HOURLY_JOB = {"budget_type": "hourly", "hourly_min_minor": 4_000, "hourly_max_minor": 8_000}


def hourly_contract(
    *,
    rate_minor: int = 5_000,
    cap: int | None = 40,
    client=None,
    organisation=None,
    freelancer=None,
    timezone=None,
) -> Contract:
    """An active hourly contract at ``rate_minor`` an hour with a weekly cap of ``cap`` hours; the
    freelancer's clock is ``timezone`` (an IANA name) when given."""
    from marketplace.contracts.services import offer_accept

    job = make_job(client=client, organisation=organisation, **HOURLY_JOB)
    freelancer = freelancer or make_freelancer()
    if timezone:
        freelancer.timezone = timezone
        freelancer.save(update_fields=["timezone"])
    proposal = make_proposal(job, freelancer=freelancer, amount_minor=rate_minor)
    contract = offer_accept(acting_user=freelancer, offer=make_offer(proposal, weekly_hour_cap=cap))
    if cap is None:
        Contract.objects.filter(pk=contract.pk).update(weekly_hour_cap=None)
        contract.refresh_from_db()
    return contract


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
