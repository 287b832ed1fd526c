"""What escrow tells the rest of the platform. Higher apps connect receivers; escrow imports none.

These are sent *inside* the transaction that made the change, so a receiver's own writes (a
milestone moving to "funded") commit or roll back with it. Receivers must defer anything outside
the database (emails, pushes) with ``transaction.on_commit``.

Each is sent with ``sender=Hold`` and ``hold`` (the locked row); the extra arguments are listed.
"""

from django.dispatch import Signal

hold_funded = Signal()  # charge
release_blocked = Signal()  # settlement, transfer: waiting for the payee's payouts
release_paid = Signal()  # settlement, transfer: sent to the payee's connected account
refund_paid = Signal()  # settlement, refund: returned to the payer's card

# A processor's chargeback on the charge that funded the hold: ``charge_dispute`` (a ChargeDispute).
# Opened: escrow froze the hold if it still held money (``charge_dispute.froze_hold``).
chargeback_opened = Signal()
# Won or lost (``charge_dispute.outcome``), its money posted. Sent before escrow unfreezes a hold the
# chargeback froze: a receiver answers ``KEEP_FROZEN`` when another dispute still needs it frozen.
chargeback_closed = Signal()
KEEP_FROZEN = "keep_frozen"
