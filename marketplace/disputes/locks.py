"""The dispute's place in the one lock order (``escrow/locks.py``).

Every writer of a dispute takes the dispute's hold first — as every writer of the milestone does
(``contracts/locks.py``) — and reads the dispute fresh under it. The hold's lock is the one
mutex: a decision, a settlement, a withdrawal, an approval and the sweeps of one milestone queue
there, and each sees what the one before it committed. Money then moves through escrow (its own
locks, levels 1 to 3), the milestone row is locked when ``transition`` moves it, and the dispute
row last, when it is moved or saved.
"""

from escrow.locks import lock_hold

from .models import Dispute, SettlementOffer


def dispute_under_hold(dispute: Dispute) -> Dispute:
    """The dispute's hold locked, and the dispute read fresh under it (with its contract and
    milestone). Must run inside the caller's ``transaction.atomic``."""
    lock_hold(dispute.hold_id)
    return Dispute.objects.select_related("contract", "milestone", "timesheet", "hold").get(pk=dispute.pk)


def offer_under_hold(offer: SettlementOffer) -> tuple[Dispute, SettlementOffer]:
    """The offer's dispute under its hold's lock (``dispute_under_hold``), and the offer read fresh."""
    dispute = dispute_under_hold(offer.dispute)
    return dispute, SettlementOffer.objects.get(pk=offer.pk)
