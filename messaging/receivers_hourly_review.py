"""Notifications of an hourly week's review (``marketplace.hourly.events``, sent after commit):
approved (by the client, or automatically when the review ended) → the freelancer, and the client
side when it was automatic; released (the transfer paid) → the freelancer; a dispute of a week is the
disputes' own news (``receivers_disputes``: the other side is told, with the date to respond by).

The kinds are the milestones' (``milestone_approved``, ``payment_sent``: money, emailed at once), so
the email policy and preferences need no new group."""

import logging

from django.dispatch import receiver

from marketplace.core.money import format_money
from marketplace.hourly import events
from marketplace.hourly.models import Timesheet
from marketplace.jobs.permissions import client_side_ids

from .models import Notification
from .receivers import _url
from .services import notification_create

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def _week_page(timesheet: Timesheet) -> str:
    return f"{_url('contract_detail', timesheet.contract_id)}weeks/{timesheet.pk}/"


def _load(timesheet: Timesheet) -> Timesheet:
    return Timesheet.objects.select_related("contract", "hold").get(pk=timesheet.pk)


def _week(timesheet: Timesheet) -> str:
    return f"the week of {timesheet.week_start:%-d %b}"


@receiver(events.timesheet_approved, sender=Timesheet, dispatch_uid="messaging.timesheet_approved")
def timesheet_approved(sender, timesheet: Timesheet, automatic: bool, **kwargs) -> None:
    try:
        week = _load(timesheet)
        contract = week.contract
        amount = format_money(week.amount_minor or 0, week.currency)
        how = "automatically, as the review ended" if automatic else "by the client"
        notification_create(
            recipient_ids=[contract.freelancer_id],
            kind=Kind.MILESTONE_APPROVED,
            title=f"Approved: {_week(week)} on “{contract.title}”",
            body=f"{amount} approved {how}; the payment is on its way, less your fee.",
            url=_week_page(week),
            actor_id=week.approved_by_id,
        )
        if automatic:
            notification_create(
                recipient_ids=client_side_ids(
                    client_id=contract.client_id, organisation_id=contract.organisation_id
                ),
                kind=Kind.MILESTONE_APPROVED,
                title=f"Paid to the freelancer: {_week(week)} on “{contract.title}”",
                body=f"The review ended without a dispute, so {amount} was released.",
                url=_week_page(week),
            )
    except Exception:
        logger.exception("Notification of an approved week failed")


@receiver(events.timesheet_released, sender=Timesheet, dispatch_uid="messaging.timesheet_released")
def timesheet_released(sender, timesheet: Timesheet, **kwargs) -> None:
    try:
        week = _load(timesheet)
        settled = week.hold.settlements.filter(kind="release")
        paid = sum(s.payee_amount_minor for s in settled)
        notification_create(
            recipient_ids=[week.contract.freelancer_id],
            kind=Kind.PAYMENT_SENT,
            title=f"Paid: {format_money(paid, week.currency)} for {_week(week)}",
            body="The payment is on its way to your payout account.",
            url=_url("earnings"),
        )
    except Exception:
        logger.exception("Notification of a released week failed")
