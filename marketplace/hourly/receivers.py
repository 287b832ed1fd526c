"""Escrow's events, received inside escrow's transaction: the week moves with the money, or neither
does. Escrow knows nothing of weeks; a hold's week is found by its hold."""

from escrow import events
from escrow.models import Hold

from .services.review import timesheet_on_release_paid


def connect() -> None:
    events.release_paid.connect(_on_release_paid, sender=Hold, dispatch_uid="hourly.week_released")


def _on_release_paid(sender, *, hold, **kwargs) -> None:
    timesheet_on_release_paid(hold=hold)
