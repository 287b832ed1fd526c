"""Escrow's chargeback events, received inside escrow's transaction: the staff case opens and closes
with the processor's dispute, or neither does."""

from escrow import events
from escrow.models import Hold

from .services.chargebacks import chargeback_case_close, chargeback_case_open, chargeback_keeps_frozen


def connect() -> None:
    events.chargeback_opened.connect(_on_opened, sender=Hold, dispatch_uid="disputes.chargeback_opened")
    events.chargeback_closed.connect(_on_closed, sender=Hold, dispatch_uid="disputes.chargeback_closed")


def _on_opened(sender, *, charge_dispute, **kwargs) -> None:
    chargeback_case_open(charge_dispute=charge_dispute)


def _on_closed(sender, *, charge_dispute, **kwargs):
    """Closes the case; answers escrow whether another dispute keeps the hold frozen."""
    chargeback_case_close(charge_dispute=charge_dispute)
    return events.KEEP_FROZEN if chargeback_keeps_frozen(charge_dispute=charge_dispute) else None
