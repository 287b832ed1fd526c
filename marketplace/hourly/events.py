"""Domain events of hourly billing, for the apps above (notifications, pushes). Sent once the
service's transaction commits (``send_on_commit``), so a receiver sees the rows it is told of.

Review of a week (``services/review.py``):
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

from .models import Timesheet

# timesheet=, automatic= (True: the review deadline passed)
timesheet_approved = Signal()
# timesheet= (the release reached the freelancer's account)
timesheet_released = Signal()
# timesheet=, actor= (a dispute froze the week's money)
timesheet_disputed = Signal()


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=Timesheet, **kwargs))
