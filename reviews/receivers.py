"""Other apps' events that move reviews: a contract that ends opens its review window."""

from marketplace.contracts.models import Contract
from marketplace.core.transitions import status_changed

from .services import review_window_open


def connect() -> None:
    status_changed.connect(_on_contract_status, sender=Contract, dispatch_uid="reviews.contract_ended")


def _on_contract_status(sender, *, instance_id, to_status, **kwargs) -> None:
    """After the contract's end committed: its window, from ``ended_at``."""
    if to_status in Contract.TERMINAL:
        review_window_open(Contract.objects.get(pk=instance_id))
