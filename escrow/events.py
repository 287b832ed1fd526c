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
# Recovery (escrow/services/outgoing_retry.py, pause.py, aging.py), sent with the change made (inside
# its transaction when there is one); receivers wrap their own writes, as above.
payout_stuck = Signal()  # settlement, row (a Transfer or a Refund): refused too often; staff act
release_paused = Signal()  # settlement, transfer, until: the payee changed their payout details
payouts_paused = Signal()  # sender=ConnectedAccount, account, until: payout details changed
hold_aging = Signal()  # limit_on: the charge's money has waited HOLD_AGE_WARNING_DAYS
# Inside the transaction, the hold locked: the hold reached HOLD_AGE_LIMIT_DAYS still holding money.
# A receiver that owns the hold's purpose settles it (a milestone refunds itself); one left
# unsettled is flagged to staff.
hold_age_limit = Signal()
