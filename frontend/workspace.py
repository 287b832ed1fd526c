"""The dashboard's workspaces: what needs the person now, composed from the apps' selectors (which
apply visibility) into the rows the dashboard shows. A freelancer's: offers and invitations waiting
for an answer, active contracts with their next step, work to hand in, money held / waiting / paid
this month. A client side's (their own and their organisations' rows): open jobs with new
proposals, milestones to fund and to approve, active contracts, money in escrow and paid in this
month. Each section is a bounded number of queries whatever the number of rows."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from escrow import selectors as escrow_selectors
from escrow.models import Transfer
from marketplace.contracts import selectors as contract_selectors
from marketplace.contracts.models import Contract, Milestone
from marketplace.hourly import selectors as hourly_selectors
from marketplace.jobs import selectors as job_selectors
from marketplace.jobs.models import BudgetType
from marketplace.jobs.permissions import ClientSideGrants, client_side_grants

# Rows shown per section; one more is read to know whether to offer "See all".
ITEMS = 8
DONE = (
    Milestone.Status.RELEASED,
    Milestone.Status.REFUNDED,
    Milestone.Status.SPLIT,
    Milestone.Status.CANCELLED,
)
TO_SUBMIT = (Milestone.Status.FUNDED, Milestone.Status.REVISION_REQUESTED)


@dataclass
class Section:
    """Up to ``ITEMS`` rows, and whether there are more than shown."""

    rows: list
    more: bool = False

    @classmethod
    def of(cls, rows) -> "Section":
        rows = list(rows[: ITEMS + 1])
        return cls(rows[:ITEMS], len(rows) > ITEMS)


@dataclass
class ContractRow:
    """An active contract and its next milestone still to be done (None when all are)."""

    contract: Contract
    next: Milestone | None


@dataclass
class MilestoneRow:
    """A milestone waiting for someone, and whether the viewer may take that step."""

    milestone: Milestone
    contract: Contract
    can_act: bool = True


@dataclass
class FreelancerWork:
    offers: Section
    invitations: Section
    contracts: Section
    to_submit: Section
    earnings: list = field(default_factory=list)
    payouts_blocked: bool = False
    # Hourly contracts: the hours logged this UTC week (``hourly.selectors.ContractHours``).
    hours: list = field(default_factory=list)


@dataclass
class ClientWork:
    jobs: Section
    to_fund: Section
    to_approve: Section
    contracts: Section
    spending: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    # Hourly contracts: each one's next charge (this week so far), and weeks whose charge failed.
    next_charges: Section = field(default_factory=lambda: Section([]))
    weeks_to_pay: Section = field(default_factory=lambda: Section([]))


@dataclass
class ChargeRow:
    contract: Contract
    charge: hourly_selectors.NextCharge


def month_start(tz) -> datetime:
    """The first moment of the current month in the viewer's time zone."""
    return timezone.now().astimezone(tz).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_milestone(contract: Contract) -> Milestone | None:
    return next((m for m in contract.milestones.all() if m.status not in DONE), None)


def freelancer_work(user, active: list[Contract], since: datetime) -> FreelancerWork:
    mine = [c for c in active if c.freelancer_id == user.pk]
    to_submit = [MilestoneRow(m, c) for c in mine for m in c.milestones.all() if m.status in TO_SUBMIT]
    earnings = escrow_selectors.earnings_of(user, since=since)
    return FreelancerWork(
        offers=Section.of(job_selectors.offers_waiting_for(user)),
        invitations=Section.of(job_selectors.invitations_waiting_for(user)),
        contracts=Section.of([ContractRow(c, _next_milestone(c)) for c in mine]),
        # Changes asked for first: the client is waiting on those.
        to_submit=Section.of(
            sorted(to_submit, key=lambda row: row.milestone.status != Milestone.Status.REVISION_REQUESTED)
        ),
        earnings=[e for e in earnings if e.held_minor or e.pending_minor or e.paid_minor],
        payouts_blocked=any(
            t.status == Transfer.Status.BLOCKED for e in earnings for hold in e.holds for t in hold.transfers
        ),
    )


def _waiting(theirs: list[Contract], grants: ClientSideGrants, status: str, codename: str) -> list:
    return [
        MilestoneRow(m, c, grants.allow(c, codename))
        for c in theirs
        for m in c.milestones.all()
        if m.status == status
    ]


def client_work(user, active: list[Contract], grants: ClientSideGrants, since: datetime) -> ClientWork:
    """The client side's items; a member sees the organisation's, with action links only where
    their role acts (``grants``)."""
    theirs = [c for c in active if c.freelancer_id != user.pk]
    to_approve = _waiting(theirs, grants, Milestone.Status.SUBMITTED, "approve_payments")
    to_approve.sort(key=lambda row: (row.milestone.auto_approve_at is None, row.milestone.auto_approve_at))
    return ClientWork(
        jobs=Section.of(job_selectors.open_jobs_to_review(user)),
        to_fund=Section.of(_waiting(theirs, grants, Milestone.Status.PENDING, "fund_work")),
        to_approve=Section.of(to_approve),
        contracts=Section.of([ContractRow(c, _next_milestone(c)) for c in theirs]),
        spending=escrow_selectors.spending_of(contract_selectors.client_side_hold_ids(user), since=since),
        **_hourly(theirs, grants),
    )


def _hourly(theirs: list[Contract], grants: ClientSideGrants) -> dict:
    """The hourly contracts' next charges and the weeks waiting for the client's payment (two
    queries whatever the count; none without an hourly contract)."""
    hourly = [c for c in theirs if c.budget_type == BudgetType.HOURLY] if theirs else []
    if not hourly:
        return {}
    charges = hourly_selectors.next_charges(hourly, now=timezone.now())
    by_pk = {c.pk: c for c in hourly}
    failed = [
        week
        for week in hourly_selectors.weeks_payment_failed_of(hourly)
        if grants.allow(by_pk[week.contract_id], "fund_work")
    ]
    for week in failed:
        week.contract = by_pk[week.contract_id]
    return {
        "next_charges": Section.of([ChargeRow(c, charges[c.pk]) for c in hourly]),
        "weeks_to_pay": Section.of(failed),
    }


def workspaces(user, tz) -> dict:
    """The dashboard's two workspaces: ``freelancer`` for someone who works as one (or has a
    contract as one), ``client`` for a client or a member of an organisation; None otherwise."""
    active = list(contract_selectors.active_contracts_of(user))
    grants = client_side_grants(user)
    since = month_start(tz)
    is_freelancer = user.is_freelancer or any(c.freelancer_id == user.pk for c in active)
    is_client = user.is_client or bool(grants.by_organisation)
    freelancer = freelancer_work(user, active, since) if is_freelancer else None
    client = client_work(user, active, grants, since) if is_client else None
    if any(c.budget_type == "hourly" for c in active):
        hours = hourly_selectors.hours_this_week(user)
        if freelancer:
            freelancer.hours = [row for row in hours if row.contract.freelancer_id == user.pk]
        if client:
            client.hours = [row for row in hours if row.contract.freelancer_id != user.pk]
    return {"freelancer": freelancer, "client": client, "month_start": since}
