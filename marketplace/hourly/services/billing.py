"""Billing a week: a due open week closes into nothing (``empty``) or one escrow hold of minutes times
rate (the client fee on top), charged to the client's saved card without them (``charging``); the
charge's result moves the week on: funded → ``in_review``, failed → ``payment_failed`` (the contract
is paused: derived, ``selectors.contract_is_paused``), and the client pays such a week on its page
with the card form milestones use → ``in_review`` (the contract resumes).

Locks: the week is closed under its ``Timesheet`` row lock, which every writer of its time entries
takes too (and checks the week is open), so an entry is either in the bill or refused, never left
out. The charge itself is escrow's (``charge_off_session``), outside any transaction of ours; it
is repeated with the same key when the processor did not answer, so nothing is charged twice.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from escrow.models import Charge, Hold
from escrow.services.charges import charge_confirm, charge_off_session, charge_start
from escrow.services.holds import hold_create
from marketplace.accounts.models import User
from marketplace.contracts.permissions import require_contract_client
from marketplace.core.exceptions import Conflict
from marketplace.core.money import Money
from marketplace.core.task_queue import queue_task_on_commit
from marketplace.core.transitions import transition

from .. import events, weeks
from ..models import Timesheet

logger = logging.getLogger(__name__)
Status = Timesheet.Status
# Who pays a week on the client side: the permission that funds milestones.
PAY_PERMISSION = "fund_work"
# A week still charging this long after its bill (its task lost, or out of retries) is charged again.
CHARGE_STALE_MINUTES = 30


def _lock(timesheet_id: int) -> Timesheet:
    """The week's row, locked: the lock every writer of the week's entries takes first."""
    return (
        Timesheet.objects.select_for_update(of=("self",))
        .select_related("contract__client", "contract__freelancer")
        .get(pk=timesheet_id)
    )


def timesheets_due(now: datetime) -> list[int]:
    """Ids of the open weeks whose billing time has come (``weeks.billing_due_at`` ≤ now)."""
    # A week is due when its Monday (00:00 UTC) is at most this date.
    latest = (now - weeks.WEEK - timedelta(hours=settings.HOURLY_BILLING_DELAY_HOURS)).date()
    return list(
        Timesheet.objects.filter(status=Status.OPEN, week_start__lte=latest)
        .order_by("week_start", "pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def timesheet_bill(*, timesheet_id: int, now: datetime | None = None) -> Timesheet | None:
    """Close a due open week: its minutes, rate and amount fixed; no time → ``empty``; else one
    hold (``timesheet:<pk>``) and ``charging``, its charge queued after commit. None for a week
    billed already (two sweeps at once bill it once: the row lock)."""
    now = now or timezone.now()
    week = _lock(timesheet_id)
    if week.status != Status.OPEN:
        return None
    if weeks.billing_due_at(week.week_start) > now:
        raise Conflict("This week is not over yet.", code="week_not_due")
    contract = week.contract
    minutes = week.entries.aggregate(total=Sum("minutes"))["total"] or 0
    rate = contract.amount_minor
    amount = weeks.amount_minor(minutes, rate)
    if amount == 0:
        return transition(
            week,
            Status.EMPTY,
            reason="No time logged",
            row_locked=True,
            minutes=minutes,
            rate_minor=rate,
            amount_minor=0,
            billed_at=now,
        )
    hold = hold_create(
        payer=contract.client,
        payee=contract.freelancer,
        amount=Money(amount, contract.currency),
        client_fee_bp=contract.client_fee_bp,
        freelancer_fee_bp=contract.freelancer_fee_bp,
        reference=f"timesheet:{week.pk}",
        transfer_group=f"contract-{contract.pk}",
        description=f"{contract.title}: week of {week.week_start:%Y-%m-%d}"[:255],
    )
    week = transition(
        week,
        Status.CHARGING,
        reason=f"Billed: {minutes} minutes",
        row_locked=True,
        minutes=minutes,
        rate_minor=rate,
        amount_minor=amount,
        hold=hold,
        billed_at=now,
    )
    queue_task_on_commit("hourly.charge_week", week.pk)
    return week


def weeks_bill_due(*, now: datetime | None = None) -> dict[str, int]:
    """The billing sweep (beat): bill every due open week, each in its own transaction; and charge
    again the weeks left charging too long (a lost task: the charge repeats its own key)."""
    now = now or timezone.now()
    done = {"billed": 0, "empty": 0, "recharged": 0, "failed": 0}
    for timesheet_id in timesheets_due(now):
        try:
            week = timesheet_bill(timesheet_id=timesheet_id, now=now)
        except Exception:
            done["failed"] += 1
            logger.warning("billing timesheet %s failed", timesheet_id, exc_info=True)
            continue
        if week is not None:
            done["empty" if week.status == Status.EMPTY else "billed"] += 1
    stale = now - timedelta(minutes=CHARGE_STALE_MINUTES)
    for timesheet_id in Timesheet.objects.filter(status=Status.CHARGING, billed_at__lt=stale).values_list(
        "pk", flat=True
    ):
        queue_task_on_commit("hourly.charge_week", timesheet_id)
        done["recharged"] += 1
    return done


def timesheet_charge(*, timesheet_id: int) -> Timesheet:
    """Charge a billing week's hold to the client's saved card (the task ``hourly.charge_week``).
    Paid: escrow funds the hold and its ``hold_funded`` moves the week (``timesheet_on_hold_funded``).
    Failed: the week is ``payment_failed`` with the processor's reason, and both sides are told.
    The processor not answering raises ``DependencyUnavailable`` (the task retries: same key)."""
    week = Timesheet.objects.select_related("hold").get(pk=timesheet_id)
    if week.status != Status.CHARGING:
        return week
    result = charge_off_session(hold=week.hold)
    if result.succeeded:
        return Timesheet.objects.get(pk=timesheet_id)
    with transaction.atomic():
        week = _lock(timesheet_id)
        if week.status != Status.CHARGING:  # paid meanwhile (a webhook), or recorded by another run
            return week
        transition(
            week,
            Status.PAYMENT_FAILED,
            reason=f"Charge failed: {result.code}",
            row_locked=True,
            failure_code=result.code[:64],
            failure_message=result.message[:255],
            failed_at=timezone.now(),
        )
        events.send_on_commit(events.week_charge_failed, timesheet_id=week.pk)
    return week


def timesheet_on_hold_funded(*, hold: Hold) -> None:
    """Escrow funded a hold (inside its transaction, the hold locked): a week's charge, off session
    or paid on the page after it failed, moves the week to review with its deadline."""
    week = Timesheet.objects.filter(hold=hold).first()
    if week is None:
        return
    week = Timesheet.objects.select_for_update(of=("self",)).get(pk=week.pk)
    if week.status not in (Status.CHARGING, Status.PAYMENT_FAILED):
        return
    was = week.status
    funded_at = timezone.now()
    transition(
        week,
        Status.IN_REVIEW,
        actor=hold.payer,
        reason="Paid" if was == Status.CHARGING else "Paid by the client after the charge failed",
        row_locked=True,
        funded_at=funded_at,
        review_by=weeks.review_deadline(funded_at),
    )
    signal = events.week_charged if was == Status.CHARGING else events.week_paid_after_failure
    events.send_on_commit(signal, timesheet_id=week.pk)


# --- paying a failed week on its page -----------------------------------------------------------------


def _require_payable(acting_user: User, week: Timesheet) -> None:
    require_contract_client(acting_user, week.contract, PAY_PERMISSION)
    if week.status != Status.PAYMENT_FAILED:
        raise Conflict("This week is not waiting for a payment.", code="not_payment_failed")


def timesheet_pay_start(*, acting_user: User, timesheet: Timesheet) -> Charge:
    """The PaymentIntent the client's browser confirms for a week whose charge failed: the one the
    failed charge left open (or a new one), through escrow's on-session ``charge_start``."""
    _require_payable(acting_user, timesheet)
    return charge_start(hold=timesheet.hold)


def timesheet_pay_confirm(*, acting_user: User, timesheet: Timesheet, payment_intent_id: str) -> Charge:
    """After the card step: the charge as the processor has it now. Paid: the hold is funded and the
    week moves to review (``timesheet_on_hold_funded``); declined: the charge keeps the reason."""
    require_contract_client(acting_user, timesheet.contract, PAY_PERMISSION)
    return charge_confirm(hold=timesheet.hold, payment_intent_id=payment_intent_id, paying_for="week")
