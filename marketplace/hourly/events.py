"""What hourly billing tells higher apps (notifications, pushes), sent after commit with
``sender=Timesheet`` and ``timesheet_id``. Moves of a week are also announced by
``marketplace.core.transitions.status_changed``; these name the money events people are told of."""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# The week's charge of the client's saved card paid it: its money is in escrow, the review runs.
week_charged = Signal()
# The week's charge failed (declined, the card needs its owner, no saved card): the contract is
# paused until the client pays the week on its page.
week_charge_failed = Signal()
# A week whose charge had failed was paid by the client on its page: the contract resumes.
week_paid_after_failure = Signal()


def send_on_commit(signal: Signal, *, timesheet_id: int) -> None:
    from .models import Timesheet

    transaction.on_commit(partial(signal.send, sender=Timesheet, timesheet_id=timesheet_id))
