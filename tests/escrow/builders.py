"""Escrow test data without the processor: holds made with ``hold_create`` for a contract's
milestones, funded by a paid ``Charge`` row written here (as ``charge_record_success`` would), released
or refunded with the escrow primitives, and their transfers and refunds recorded as sent
(``transfer_record`` / ``refund_record``), so every ledger entry comes from the real services."""

from itertools import count

from django.db import transaction
from django.utils import timezone

from escrow import locks
from escrow.models import Charge, ConnectedAccount, Hold, Refund, Transfer
from escrow.services.holds import hold_fund, hold_refund, hold_release
from escrow.services.payouts import refund_record, transfer_record
from marketplace.contracts.models import Milestone
from marketplace.contracts.services import milestones
from marketplace.core.money import Money
from tests.factories import make_client, make_contract, make_freelancer

_serial = count(1)
# The usual fixed-price schedule of these tests: (title, amount) per milestone.
DESIGN_AND_BUILD = (("Design", 40_000), ("Build", 100_000))


def milestone_hold(milestone: Milestone) -> Hold:
    """The milestone's hold, made by the funding service (as its client starts paying)."""
    return milestones.milestone_hold(acting_user=milestone.contract.client, milestone=milestone)


def fund(hold: Hold, *, card_label: str = "Visa •••• 4242") -> Charge:
    """A paid charge for the hold (amount + client fee), recorded as its funding."""
    n = next(_serial)
    with transaction.atomic():
        locked = locks.lock_hold(hold)
        charge = Charge.objects.create(
            hold=locked,
            idempotency_key=f"charge-test-{n}",
            status=Charge.Status.SUCCEEDED,
            amount_minor=locked.charge_amount_minor,
            currency=locked.currency,
            payment_intent_id=f"pi_test_{n}",
            charge_id=f"ch_test_{n}",
            card_label=card_label,
            succeeded_at=timezone.now(),
        )
        hold_fund(hold=locked, charge=charge)
    hold.refresh_from_db()
    return charge


def fund_milestone(milestone: Milestone) -> Charge:
    return fund(milestone_hold(milestone))


def payouts_ready(user) -> ConnectedAccount:
    """The payee's connected account, able to receive transfers."""
    n = next(_serial)
    return ConnectedAccount.objects.create(
        user=user,
        account_id=f"acct_test_{n}",
        idempotency_key=f"account-test-{n}",
        details_submitted=True,
        payouts_enabled=True,
        transfers_active=True,
    )


def _money(hold: Hold, amount_minor: int | None) -> Money | None:
    """The primitives take Money; these builders take minor units in the hold's currency."""
    return None if amount_minor is None else Money(amount_minor, hold.currency)


def release(hold: Hold, amount_minor: int | None = None, *, sent: bool = True) -> Transfer:
    """Release (all that is left, by default) to the payee; the transfer is recorded as sent unless
    ``sent=False`` (it then stays blocked or intended, as escrow left it)."""
    settlement = hold_release(hold=hold, amount=_money(hold, amount_minor), reason="Approved")
    transfer = Transfer.objects.get(settlement=settlement)
    if sent:
        transfer_record(transfer_id=transfer.pk, processor_id=f"tr_test_{next(_serial)}")
        transfer.refresh_from_db()
    return transfer


def refund(hold: Hold, amount_minor: int | None = None, *, sent: bool = True, reason: str = "") -> Refund:
    settlement = hold_refund(hold=hold, amount=_money(hold, amount_minor), reason=reason or "Refunded")
    returned = Refund.objects.get(settlement=settlement)
    if sent:
        refund_record(refund_id=returned.pk, processor_id=f"re_test_{next(_serial)}")
        returned.refresh_from_db()
    return returned


def paid_history(count_: int, *, client=None, freelancer=None, amount_minor: int = 10_000) -> list[Milestone]:
    """``count_`` milestones (over as many contracts of at most 20 as needed) each funded by the
    client and released and paid out to the freelancer: a charge and a transfer each."""
    client = client or make_client()
    freelancer = freelancer or make_freelancer()
    if not ConnectedAccount.objects.filter(user=freelancer).exists():
        payouts_ready(freelancer)
    milestones: list[Milestone] = []
    while len(milestones) < count_:
        size = min(20, count_ - len(milestones))
        contract = make_contract(
            client=client,
            freelancer=freelancer,
            milestones=[(f"Part {len(milestones) + i + 1}", amount_minor) for i in range(size)],
        )
        for milestone in contract.milestones.all():
            fund_milestone(milestone)
            release(Hold.objects.get(milestone=milestone))
            milestones.append(milestone)
    return milestones
