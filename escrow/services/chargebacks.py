"""Chargebacks: a cardholder's bank disputes a charge that funded a hold.

Each ``charge.dispute.*`` event is a hint: ``chargeback_sync`` reads the dispute from the processor
(outside any transaction) and records what it says, under the hold's lock, so replays, duplicates
and events out of order end in the same state, and a dispute once won or lost never changes again.

- **Opened**: the hold is frozen if it still holds money and nothing froze it already (an open
  marketplace dispute); a hold already settled (released or refunded) is only recorded. The
  processor takes the disputed amount and its fee from the platform's balance: ledger
  ``chargeback`` (processor clearing +, disputed funds -).
- **Won**: the processor gives both back (``chargeback_won``, the reverse) and the hold is
  unfrozen if this dispute froze it and no receiver of ``chargeback_closed`` answers that another
  dispute keeps it frozen.
- **Lost**: what the hold still holds of the amount went back to the card through the card
  network: a refund settlement with no refund to send (``hold_charged_back``; the hold is settled
  when nothing is left), paid into the disputed funds; any rest is the platform's loss, and the
  fee is the platform's cost (``chargeback_lost``). Money already transferred to the freelancer
  stays theirs: no transfer is reversed.

A dispute of a charge that is not ours is recorded (no charge, no hold) and logged, nothing else.
"""

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.money import Money

from .. import events, gateway, locks
from ..models import Charge, ChargeDispute, Hold, LedgerAccount, LedgerTransaction
from .holds import hold_charged_back, hold_freeze, hold_unfreeze
from .ledger import Account, ledger_accounts_make, ledger_post

logger = logging.getLogger(__name__)
Kind = LedgerAccount.Kind
Posting = LedgerTransaction.Kind


def chargeback_sync(*, dispute_id: str) -> ChargeDispute:
    """Bring our record of the dispute up to date with the processor's."""
    return chargeback_record(dispute=gateway.retrieve_dispute(dispute_id))


def _charge_of(dispute: gateway.Dispute) -> Charge | None:
    found = Q()
    if dispute.payment_intent_id:
        found |= Q(payment_intent_id=dispute.payment_intent_id)
    if dispute.charge_id:
        found |= Q(charge_id=dispute.charge_id)
    if not found:
        return None
    return Charge.objects.filter(found, status=Charge.Status.SUCCEEDED).first()


@transaction.atomic
def chargeback_record(*, dispute: gateway.Dispute) -> ChargeDispute:
    """Record the processor's dispute as it is now (the result step of ``chargeback_sync``)."""
    charge = _charge_of(dispute)
    hold = locks.lock_hold(charge.hold_id) if charge is not None else None
    row, created = ChargeDispute.objects.get_or_create(
        dispute_id=dispute.id,
        defaults={
            "charge": charge,
            "hold": hold,
            "processor_charge_id": dispute.charge_id,
            "payment_intent_id": dispute.payment_intent_id,
            "amount_minor": dispute.amount_minor,
            "currency": dispute.currency,
            "reason": dispute.reason[:32],
            "status": dispute.status[:32],
        },
    )
    if hold is None:
        if created:
            logger.error("dispute %s is of a charge that is not ours (%s)", dispute.id, dispute.charge_id)
        if not row.is_closed and (row.status != dispute.status or dispute.closed):
            _status_only(row, dispute)
        return row
    if created:
        hold = _opened(row, hold, dispute)
    if row.is_closed:
        return row  # won or lost is final: a late or replayed event changes nothing
    _withdrawn(row, hold, dispute)
    if dispute.closed:
        _closed(row, hold, dispute)
    elif row.status != dispute.status:
        row.status = dispute.status
        row.save(update_fields=["status", "updated_at"])
    return row


def _status_only(row: ChargeDispute, dispute: gateway.Dispute) -> None:
    """A dispute of a charge that is not ours: its status and outcome, nothing else."""
    row.status = dispute.status
    if dispute.closed:
        row.outcome, row.closed_at = dispute.status, timezone.now()
    row.save(update_fields=["status", "outcome", "closed_at", "updated_at"])


def _opened(row: ChargeDispute, hold: Hold, dispute: gateway.Dispute) -> Hold:
    """Freeze the hold if it still holds money; the hold as it is now."""
    money = Money(row.amount_minor, row.currency)
    if hold.status == Hold.Status.FUNDED and not dispute.closed:  # first seen closed: nothing to stop
        hold = hold_freeze(hold=hold, reason=f"Chargeback {row.dispute_id} ({row.reason}) of {money}")
        row.froze_hold = True
        row.save(update_fields=["froze_hold", "updated_at"])
    audit_record(
        actor=None,
        action="escrow.chargeback_opened",
        target=hold,
        summary=f"Chargeback {row.dispute_id} of {money} ({row.reason})",
        dispute_id=row.dispute_id,
        froze_hold=row.froze_hold,
    )
    events.chargeback_opened.send(sender=Hold, hold=hold, charge_dispute=row)
    return hold


def _platform(currency: str) -> dict[str, Account]:
    accounts = {
        kind: Account(kind, currency)
        for kind in (Kind.PROCESSOR_CLEARING, Kind.DISPUTED_FUNDS, Kind.DISPUTE_FEES, Kind.PLATFORM_LOSSES)
    }
    ledger_accounts_make(accounts.values())
    return accounts


def _posted(kind: str, row: ChargeDispute) -> bool:
    return LedgerTransaction.objects.filter(kind=kind, external_id=row.dispute_id).exists()


def _withdrawn(row: ChargeDispute, hold: Hold, dispute: gateway.Dispute) -> None:
    """The processor took the amount and its fee (once it is a chargeback, not an inquiry)."""
    taken = dispute.withdrawn_minor + dispute.fee_minor
    if not taken or _posted(Posting.CHARGEBACK, row):
        return
    accounts = _platform(row.currency)
    ledger_post(
        kind=Posting.CHARGEBACK,
        currency=row.currency,
        lines=[(accounts[Kind.PROCESSOR_CLEARING], taken), (accounts[Kind.DISPUTED_FUNDS], -taken)],
        hold=hold,
        external_id=row.dispute_id,
        memo=f"Chargeback {row.dispute_id}: taken by the processor",
    )
    row.fee_minor = dispute.fee_minor
    row.save(update_fields=["fee_minor", "updated_at"])


def _closed(row: ChargeDispute, hold: Hold, dispute: gateway.Dispute) -> None:
    row.status = row.outcome = dispute.status
    row.closed_at = timezone.now()
    if row.outcome == ChargeDispute.Outcome.WON:
        _won(row, hold, dispute)
    elif _posted(Posting.CHARGEBACK, row):
        _lost(row, hold)
    row.save()
    audit_record(
        actor=None,
        action=f"escrow.chargeback_{row.outcome}",
        target=hold,
        summary=f"Chargeback {row.dispute_id} {row.outcome}",
        taken_from_hold_minor=row.taken_from_hold_minor,
        platform_loss_minor=row.platform_loss_minor,
        fee_minor=row.fee_minor,
    )
    answers = events.chargeback_closed.send(sender=Hold, hold=hold, charge_dispute=row)
    kept = any(answer is events.KEEP_FROZEN for _, answer in answers)
    if row.froze_hold and not kept and hold.status == Hold.Status.FROZEN:
        hold_unfreeze(hold=hold, reason=f"Chargeback {row.dispute_id} {row.outcome}")


def _won(row: ChargeDispute, hold: Hold, dispute: gateway.Dispute) -> None:
    if not dispute.reinstated_minor:
        return  # an inquiry: nothing was taken
    accounts = _platform(row.currency)
    ledger_post(
        kind=Posting.CHARGEBACK_WON,
        currency=row.currency,
        lines=[
            (accounts[Kind.PROCESSOR_CLEARING], -dispute.reinstated_minor),
            (accounts[Kind.DISPUTED_FUNDS], dispute.reinstated_minor),
        ],
        hold=hold,
        external_id=row.dispute_id,
        memo=f"Chargeback {row.dispute_id} won: returned by the processor",
    )


def _lost(row: ChargeDispute, hold: Hold) -> None:
    """The cardholder keeps the disputed amount: what the hold still holds of it went back to their
    card (a refund settlement nobody sends), the rest is the platform's loss; the fee is the
    platform's cost. What was transferred is not taken back."""
    reason = f"Chargeback {row.dispute_id} lost: returned to the card by the card network"
    settlement = hold_charged_back(hold=hold, up_to_minor=row.amount_minor, reason=reason)
    taken = settlement.payee_amount_minor if settlement is not None else 0
    row.settlement = settlement
    row.taken_from_hold_minor, row.platform_loss_minor = taken, row.amount_minor - taken
    accounts = _platform(row.currency)
    ledger_post(
        kind=Posting.CHARGEBACK_LOST,
        currency=row.currency,
        lines=[
            (accounts[Kind.DISPUTED_FUNDS], row.amount_minor + row.fee_minor),
            (Account(Kind.REFUNDS_PAYABLE, row.currency, user_id=hold.payer_id), -taken),
            (accounts[Kind.PLATFORM_LOSSES], -row.platform_loss_minor),
            (accounts[Kind.DISPUTE_FEES], -row.fee_minor),
        ],
        hold=hold,
        settlement=settlement,
        external_id=row.dispute_id,
        memo=f"Chargeback {row.dispute_id} lost",
    )
