"""Escrow's events, received inside escrow's transaction: the milestone moves with the money, or
neither does. Escrow knows nothing of milestones; a hold's milestone is found by its hold."""

from escrow import events
from escrow.models import Hold

from .services.milestones import milestone_on_age_limit, milestone_on_hold_funded, milestone_on_release_paid


def connect() -> None:
    events.hold_funded.connect(_on_funded, sender=Hold, dispatch_uid="contracts.milestone_funded")
    events.release_paid.connect(_on_release_paid, sender=Hold, dispatch_uid="contracts.milestone_released")
    events.hold_age_limit.connect(_on_age_limit, sender=Hold, dispatch_uid="contracts.milestone_age_limit")


def _on_funded(sender, *, hold, **kwargs) -> None:
    milestone_on_hold_funded(hold=hold)


def _on_release_paid(sender, *, hold, **kwargs) -> None:
    milestone_on_release_paid(hold=hold)


def _on_age_limit(sender, *, hold, **kwargs) -> None:
    milestone_on_age_limit(hold=hold)
