"""Notifications for hourly weeks' money: a week charged, its charge failed (the contract paused),
a failed week paid by the client (resumed). Both sides are told; these are money events, emailed
at once (``email_policy``). Hourly's events arrive after commit."""

from django.dispatch import receiver
from django.urls import reverse

from marketplace.core.money import format_money
from marketplace.hourly import events
from marketplace.hourly.models import Timesheet
from marketplace.jobs.permissions import client_side_ids_any

from .models import Notification
from .receivers import _client_name, _url
from .receivers_money import _guarded
from .services import notification_create

Kind = Notification.Kind


def _week(timesheet_id: int) -> Timesheet:
    return Timesheet.objects.select_related(
        "contract__client", "contract__organisation", "contract__freelancer", "hold"
    ).get(pk=timesheet_id)


def _client_ids(week: Timesheet) -> set[int]:
    contract = week.contract
    return client_side_ids_any(
        client_id=contract.client_id, organisation_id=contract.organisation_id, codenames=("fund_work",)
    )


def _label(week: Timesheet) -> str:
    return f"the week of {week.week_start:%-d %b %Y} on “{week.contract.title}”"


def _hours(week: Timesheet) -> str:
    hours, minutes = divmod(week.minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _pay_url(week: Timesheet) -> str:
    return reverse("frontend:hourly_week_pay", args=[week.contract_id, week.pk])


@receiver(events.week_charged, sender=Timesheet, dispatch_uid="messaging.week_charged")
@_guarded
def week_charged(sender, timesheet_id: int, **kwargs) -> None:
    week = _week(timesheet_id)
    contract, hold = week.contract, week.hold
    charged = format_money(hold.charge_amount_minor, hold.currency)
    page = _url("contract_detail", contract.pk)
    notification_create(
        recipient_ids=_client_ids(week),
        kind=Kind.WEEK_CHARGED,
        title=f"Charged {charged} for {_label(week)}",
        body=f"{_hours(week)} at {format_money(week.rate_minor, hold.currency)} an hour plus the client fee, "
        f"held in escrow. Review it by {week.review_by:%a %-d %b %H:%M} UTC.",
        url=page,
    )
    notification_create(
        recipient_ids=[contract.freelancer_id],
        kind=Kind.WEEK_CHARGED,
        title=f"{_client_name(contract)} was charged for {_label(week)}",
        body=f"{format_money(week.amount_minor, hold.currency)} for {_hours(week)} is in escrow; it is paid "
        f"out after the client's review (by {week.review_by:%a %-d %b} UTC).",
        url=page,
    )


@receiver(events.week_charge_failed, sender=Timesheet, dispatch_uid="messaging.week_charge_failed")
@_guarded
def week_charge_failed(sender, timesheet_id: int, **kwargs) -> None:
    week = _week(timesheet_id)
    contract = week.contract
    amount = format_money(week.hold.charge_amount_minor, week.hold.currency)
    notification_create(
        recipient_ids=_client_ids(week),
        kind=Kind.WEEK_PAYMENT_FAILED,
        title=f"Payment failed for {_label(week)}: pay {amount} to resume",
        body=f"{week.failure_message} The contract is paused until the week is paid.",
        url=_pay_url(week),
    )
    notification_create(
        recipient_ids=[contract.freelancer_id],
        kind=Kind.WEEK_PAYMENT_FAILED,
        title=f"The client's payment for {_label(week)} failed",
        body="The contract is paused: time cannot be logged until the client pays the week. We have "
        "asked them to.",
        url=_url("contract_detail", contract.pk),
    )


@receiver(events.week_paid_after_failure, sender=Timesheet, dispatch_uid="messaging.week_paid")
@_guarded
def week_paid_after_failure(sender, timesheet_id: int, **kwargs) -> None:
    week = _week(timesheet_id)
    contract = week.contract
    amount = format_money(week.hold.charge_amount_minor, week.hold.currency)
    page = _url("contract_detail", contract.pk)
    notification_create(
        recipient_ids=_client_ids(week),
        kind=Kind.WEEK_PAID,
        title=f"Paid {amount} for {_label(week)}; the contract resumes",
        body=f"Review the week by {week.review_by:%a %-d %b %H:%M} UTC.",
        url=page,
    )
    notification_create(
        recipient_ids=[contract.freelancer_id],
        kind=Kind.WEEK_PAID,
        title=f"{_client_name(contract)} paid {_label(week)}; you can log time again",
        body="The week's money is in escrow until the client's review ends.",
        url=page,
    )
