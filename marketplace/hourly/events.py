"""What hourly billing tells higher apps (messaging: live updates, notifications).

``time_changed`` is sent inside the writer's transaction (its receiver stores the push in it, so
nothing is announced for a write that rolled back). The money events are sent after commit with
``sender=Timesheet`` and ``timesheet_id``; moves of a week are also announced by
``marketplace.core.transitions.status_changed``, and these name the money events people are told of.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# Time on a contract changed: contract=, timesheet=, action= ("logged", "edited", "deleted",
# "timer_started", "timer_stopped"), actor=.
time_changed = Signal()

# The week's charge of the client's saved card paid it: its money is in escrow, the review runs.
week_charged = Signal()
# The week's charge failed (declined, the card needs its owner, no saved card): the contract is
# paused until the client pays the week on its page.
week_charge_failed = Signal()
# A week whose charge had failed was paid by the client on its page: the contract resumes.
week_paid_after_failure = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    """Send ``signal`` (sender ``Timesheet``, with ``kwargs``) once the transaction commits."""
    from .models import Timesheet

    transaction.on_commit(partial(signal.send, sender=Timesheet, **kwargs))


# The client's review of a week (``services/review.py``), sent after commit with ``sender=Timesheet``
# and ``timesheet``:
# timesheet=, automatic= (True: the review deadline passed)
timesheet_approved = Signal()
# timesheet= (the release reached the freelancer's account)
timesheet_released = Signal()
