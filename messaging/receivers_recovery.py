"""Notifications for money that is late: a payout or refund the processor keeps refusing (stuck,
staff are on it), a payout paused after the freelancer changed their bank account, and money that
has waited long for its transfer (the processor's 60/90-day limit). Plain words for both sides;
escrow's reasons in processor terms are for staff (/ops/)."""

from django.conf import settings
from django.dispatch import receiver
from django.utils import formats

from escrow import events as money
from escrow.models import ConnectedAccount, Hold, Transfer
from marketplace.contracts.models import Milestone
from marketplace.core.money import format_money

from .models import Notification
from .receivers import _freelancer_name, _url
from .receivers_money import _client_ids, _guarded, _milestone_of, _page
from .services import notification_create

Kind = Notification.Kind


def _day(moment) -> str:
    return formats.date_format(moment, "j F Y")


@receiver(money.payout_stuck, sender=Hold, dispatch_uid="messaging.payout_stuck")
@_guarded
def payout_stuck(sender, hold: Hold, row, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None:
        return
    amount = format_money(row.amount_minor, row.currency)
    if isinstance(row, Transfer):
        notification_create(
            recipient_ids=[milestone.contract.freelancer_id],
            kind=Kind.PAYOUT_WAITING,
            title=f"Your payment of {amount} is delayed",
            body=f"The payment for “{milestone.title}” could not be sent to your payout account. "
            "Our staff are looking into it; check your payout details in the meantime.",
            url=_url("earnings"),
        )
        notification_create(
            recipient_ids=_client_ids(milestone),
            kind=Kind.PAYOUT_WAITING,
            title=f"Payment to the freelancer delayed: “{milestone.title}”",
            body="The approved payment could not be sent yet. Nothing more is charged; our staff are on it.",
            url=_page(milestone),
        )
        return
    notification_create(
        recipient_ids=_client_ids(milestone),
        kind=Kind.REFUND_SENT,
        title=f"Your refund of {amount} is delayed",
        body=f"The refund for “{milestone.title}” could not be returned to your card. It is still owed to "
        "you; our staff are looking into it.",
        url=_page(milestone),
    )


@receiver(money.payouts_paused, sender=ConnectedAccount, dispatch_uid="messaging.payouts_paused")
@_guarded
def payouts_paused(sender, account: ConnectedAccount, until, **kwargs) -> None:
    notification_create(
        recipient_ids=[account.user_id],
        kind=Kind.PAYOUT_WAITING,
        title=f"Payouts paused until {_day(until)}",
        body=f"Your payout bank account changed. For your safety, payments to you wait "
        f"{settings.PAYOUT_PAUSE_HOURS} hours after a change. If you did not make it, contact support now.",
        url=_url("earnings"),
    )


@receiver(money.release_paused, sender=Hold, dispatch_uid="messaging.release_paused")
@_guarded
def release_paused(sender, hold: Hold, transfer, until, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None:
        return
    notification_create(
        recipient_ids=_client_ids(milestone),
        kind=Kind.PAYOUT_WAITING,
        title=f"Payment for “{milestone.title}” goes out on {_day(until)}",
        body=f"{_freelancer_name(milestone.contract.freelancer)} changed their payout bank account; "
        f"payments to them wait {settings.PAYOUT_PAUSE_HOURS} hours after such a change. Nothing is "
        "needed from you.",
        url=_page(milestone),
    )


@receiver(money.hold_aging, sender=Hold, dispatch_uid="messaging.hold_aging")
@_guarded
def hold_aging(sender, hold: Hold, limit_on, **kwargs) -> None:
    milestone = _milestone_of(hold)
    if milestone is None or limit_on is None:
        return
    day = _day(limit_on)
    refundable = milestone.status in Milestone.REFUNDABLE
    then = "it goes back to the client" if refundable else "our staff decide what happens to it"
    recipients = [milestone.contract.freelancer_id, *_client_ids(milestone)]
    notification_create(
        recipient_ids=recipients,
        kind=Kind.PAYOUT_WAITING,
        title=f"Money for “{milestone.title}” can be held until {day}",
        body=f"Payments may wait in escrow at most {settings.HOLD_AGE_LIMIT_DAYS} days. Unless the milestone "
        f"is approved by {day}, {then}.",
        url=_page(milestone),
    )
