"""Escrow's events, received inside escrow's transaction: a week moves with its money, or neither
does. Escrow knows nothing of weeks; a hold's week is found by its hold (as contracts do for
milestones)."""

from escrow import events
from escrow.models import Hold

from .services.billing import timesheet_on_hold_funded
from .services.review import timesheet_on_release_paid


def connect() -> None:
    events.hold_funded.connect(_on_funded, sender=Hold, dispatch_uid="hourly.week_funded")
    events.release_paid.connect(_on_release_paid, sender=Hold, dispatch_uid="hourly.week_released")


def _on_funded(sender, *, hold, **kwargs) -> None:
    timesheet_on_hold_funded(hold=hold)


def _on_release_paid(sender, *, hold, **kwargs) -> None:
    timesheet_on_release_paid(hold=hold)
