"""Ledger properties: a rule-based state machine over escrow's real money primitives on PostgreSQL.

Holds of any amount and fee rates are funded, released and refunded in parts, split, frozen and
unfrozen, and their transfers and refunds recorded as sent, in any order; moves the money does not
allow (more than is held, nothing, a frozen hold, funding twice) must be refused and change
nothing. After every step, against the database: every ledger transaction balances, no account
that must not go negative does, released + refunded never exceeds what was funded, and every
figure equals an independent model of the fees written with ``fractions.Fraction`` (the code uses
integer arithmetic).

Each example runs in a savepoint rolled back at its end. No processor calls: a charge row stands
for a paid PaymentIntent (the fake-Stripe tests cover the calls).
"""

from fractions import Fraction
from math import floor

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from escrow import locks
from escrow.models import (
    Charge,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    Settlement,
    Transfer,
)
from escrow.selectors import ledger_balances_off
from escrow.services.holds import (
    hold_create,
    hold_freeze,
    hold_fund,
    hold_refund,
    hold_release,
    hold_split,
    hold_unfreeze,
)
from escrow.services.payouts import refund_record, transfer_record
from marketplace.core.exceptions import DomainError
from marketplace.core.money import Money
from tests.factories import make_client, make_freelancer

Kind = LedgerAccount.Kind


def half_up(value: Fraction) -> int:
    """Round half up, from the definition (not the code's integer formula)."""
    return floor(value + Fraction(1, 2))


def share(total: int, whole: int, before: int, part: int) -> int:
    return half_up(Fraction(total * (before + part), whole)) - half_up(Fraction(total * before, whole))


def usd(minor: int | None) -> Money | None:
    return None if minor is None else Money(minor, "USD")


def balance(kind: str, **owner) -> int:
    return (
        LedgerEntry.objects.filter(
            account__kind=kind, **{f"account__{k}": v for k, v in owner.items()}
        ).aggregate(total=Sum("amount_minor"))["total"]
        or 0
    )


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, payer, payee) -> None:
        super().__init__()
        self.payer, self.payee = payer, payee
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(
        amount=st.integers(1, 10_000_000),
        client_bp=st.integers(0, 2_000),
        freelancer_bp=st.integers(0, 3_000),
    )
    def a_hold(self, amount: int, client_bp: int, freelancer_bp: int) -> None:
        self.hold = hold_create(
            payer=self.payer,
            payee=self.payee,
            amount=Money(amount, "USD"),
            client_fee_bp=client_bp,
            freelancer_fee_bp=freelancer_bp,
            reference=f"property:{id(self)}",
            transfer_group="property",
        )
        self.amount = amount
        self.client_fee = half_up(Fraction(amount * client_bp, 10_000))
        self.freelancer_fee = half_up(Fraction(amount * freelancer_bp, 10_000))
        self.funded = False
        self.frozen = False
        self.released = self.refunded = 0
        self.client_fees = self.freelancer_fees = 0
        self.to_payee = self.to_payer = 0  # what transfers and refunds are meant to carry
        self.sent_to_payee = self.sent_to_payer = 0

    # --- moves --------------------------------------------------------------------------------

    def _refused(self, move) -> None:
        before = (
            LedgerEntry.objects.count(),
            Settlement.objects.count(),
            Hold.objects.get(pk=self.hold.pk).status,
        )
        with pytest.raises(DomainError) as refusal, transaction.atomic():
            move()
        assert refusal.value.code
        after = (
            LedgerEntry.objects.count(),
            Settlement.objects.count(),
            Hold.objects.get(pk=self.hold.pk).status,
        )
        assert before == after, "a refused move changed something"

    @rule()
    def fund(self) -> None:
        if self.funded:
            return self._refused(self._fund)
        self._fund()
        self.funded = True

    def _fund(self) -> None:
        """The result step of a paid charge; a second time (a replay) must be refused."""
        with transaction.atomic():
            locked = locks.lock_hold(self.hold)
            if not hasattr(self, "charge"):
                self.charge = Charge.objects.create(
                    hold=locked,
                    idempotency_key=f"property-{id(self)}",
                    status=Charge.Status.SUCCEEDED,
                    amount_minor=locked.charge_amount_minor,
                    currency="USD",
                    payment_intent_id=f"pi_property_{id(self)}",
                    charge_id=f"ch_property_{id(self)}",
                )
            hold_fund(hold=locked, charge=self.charge)

    @property
    def remaining(self) -> int:
        return self.amount - self.released - self.refunded

    def _can_settle(self, part: int) -> bool:
        return self.funded and not self.frozen and 0 < part <= self.remaining

    def _expect(self, kind: str, part: int) -> None:
        client_fee = share(self.client_fee, self.amount, self.released + self.refunded, part)
        self.client_fees += client_fee
        if kind == "release":
            freelancer_fee = share(self.freelancer_fee, self.amount, self.released, part)
            self.freelancer_fees += freelancer_fee
            self.to_payee += part - freelancer_fee
            self.released += part
        else:
            self.to_payer += part + client_fee
            self.refunded += part

    @rule(fraction=st.fractions(0, 1), whole=st.booleans(), overshoot=st.integers(-3, 3))
    def release(self, fraction: Fraction, whole: bool, overshoot: int) -> None:
        part = None if whole else int(self.remaining * fraction) + overshoot
        effective = self.remaining if part is None else part
        if not self._can_settle(effective):
            return self._refused(lambda: hold_release(hold=self.hold, amount=usd(part)))
        hold_release(hold=self.hold, amount=usd(part))
        self._expect("release", effective)

    @rule(fraction=st.fractions(0, 1), whole=st.booleans(), overshoot=st.integers(-3, 3))
    def refund(self, fraction: Fraction, whole: bool, overshoot: int) -> None:
        part = None if whole else int(self.remaining * fraction) + overshoot
        effective = self.remaining if part is None else part
        if not self._can_settle(effective):
            return self._refused(lambda: hold_refund(hold=self.hold, amount=usd(part)))
        hold_refund(hold=self.hold, amount=usd(part))
        self._expect("refund", effective)

    @rule(a=st.fractions(0, 1), b=st.fractions(0, 1))
    def split(self, a: Fraction, b: Fraction) -> None:
        release, refund = int(self.remaining * a), int(self.remaining * b)
        allowed = (
            self.funded
            and not self.frozen
            and release > 0
            and refund > 0
            and release + refund <= self.remaining
        )
        move = lambda: hold_split(hold=self.hold, release=usd(release), refund=usd(refund))  # noqa: E731
        if not allowed:
            return self._refused(move)
        move()
        self._expect("release", release)
        self._expect("refund", refund)

    @rule()
    def freeze(self) -> None:
        if not (self.funded and not self.frozen and self.remaining):
            return self._refused(lambda: hold_freeze(hold=self.hold, reason="test"))
        hold_freeze(hold=self.hold, reason="test")
        self.frozen = True

    @rule()
    def unfreeze(self) -> None:
        if not self.frozen:
            return self._refused(lambda: hold_unfreeze(hold=self.hold, reason="test"))
        hold_unfreeze(hold=self.hold, reason="test")
        self.frozen = False

    @precondition(
        lambda self: Transfer.objects.filter(settlement__hold_id=self.hold.pk).exclude(status="sent").exists()
    )
    @rule(twice=st.booleans())
    def a_transfer_goes_out(self, twice: bool) -> None:
        transfer = Transfer.objects.filter(settlement__hold_id=self.hold.pk).exclude(status="sent").first()
        assert transfer_record(transfer_id=transfer.pk, processor_id=f"tr_{transfer.pk}")
        if twice:  # a replayed result changes nothing
            assert not transfer_record(transfer_id=transfer.pk, processor_id=f"tr_{transfer.pk}")
        self.sent_to_payee += transfer.amount_minor

    @precondition(
        lambda self: Refund.objects.filter(settlement__hold_id=self.hold.pk).exclude(status="sent").exists()
    )
    @rule()
    def a_refund_goes_out(self) -> None:
        refund = Refund.objects.filter(settlement__hold_id=self.hold.pk).exclude(status="sent").first()
        assert refund_record(refund_id=refund.pk, processor_id=f"re_{refund.pk}")
        self.sent_to_payer += refund.amount_minor

    # --- invariants -----------------------------------------------------------------------------

    @invariant()
    def every_transaction_balances(self) -> None:
        unbalanced = (
            LedgerTransaction.objects.annotate(total=Sum("entries__amount_minor")).exclude(total=0).count()
        )
        assert unbalanced == 0

    @invariant()
    def no_balance_goes_negative(self) -> None:
        for kind in LedgerAccount.GUARDED:
            for account in LedgerAccount.objects.filter(kind=kind):
                total = account.entries.aggregate(total=Sum("amount_minor"))["total"] or 0
                assert total >= 0, f"{account.key} is {total}"

    @invariant()
    def every_stored_balance_is_the_sum_of_its_entries(self) -> None:
        assert ledger_balances_off() == []

    @invariant()
    def the_figures_match_the_model(self) -> None:
        if not hasattr(self, "hold"):
            return
        assert self.released + self.refunded <= (self.amount if self.funded else 0)
        funded = (self.amount + self.client_fee) if self.funded else 0
        assert -balance(Kind.CLIENT_FUNDING, user_id=self.payer.pk) == funded
        held = funded - (self.released + self.refunded) - self.client_fees if self.funded else 0
        assert balance(Kind.ESCROW_HELD, hold_id=self.hold.pk) == held
        assert balance(Kind.FREELANCER_PAYABLE, user_id=self.payee.pk) == self.to_payee - self.sent_to_payee
        assert balance(Kind.REFUNDS_PAYABLE, user_id=self.payer.pk) == self.to_payer - self.sent_to_payer
        revenue = self.client_fees - (self.to_payer - self.refunded) + self.freelancer_fees
        assert balance(Kind.PLATFORM_REVENUE) == revenue
        assert balance(Kind.PROCESSOR_CLEARING) == self.sent_to_payee + self.sent_to_payer
        settled = Hold.objects.get(pk=self.hold.pk).status == Hold.Status.SETTLED
        assert settled == (self.funded and self.remaining == 0)
        if settled:  # the parts add up to the fees on the whole
            assert self.client_fees == self.client_fee
            if self.refunded == 0:
                assert self.freelancer_fees == self.freelancer_fee


@pytest.mark.django_db
@pytest.mark.timeout(900)
def test_the_ledger_holds_whatever_happens_to_the_money():
    payer, payee = make_client(), make_freelancer()
    run_state_machine_as_test(lambda: LedgerMachine(payer, payee))
