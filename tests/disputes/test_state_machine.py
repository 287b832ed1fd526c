"""Disputes as a rule-based state machine over the real services on PostgreSQL.

A contract's two funded milestones go through any interleaving of the work's own steps (submit, ask
for changes, approve), the sweeps (automatic approval, refunds after a cancellation), cancelling the
contract, every dispute step (open by either side, respond, ask support, the deadline's
escalation, offers proposed and accepted, support's decisions, withdrawal), and card chargebacks on a
milestone's charge, opened and then won or lost. Moves the state does not allow must be refused and
change nothing (a party's dispute joined by an open chargeback refuses with ``chargeback_open``).
After every step, against the database:

- money never moves while its hold is frozen, except a lost chargeback's return to the card; a hold
  is frozen exactly while a party's dispute on it is active or an open chargeback froze it, and a
  chargeback's staff case is active exactly while the chargeback is open;
- every decision and accepted offer balances: released + refunded = what the hold held after any
  lost chargeback took its part, and the settlements say so;
- released + refunded never exceeds what was funded, per hold;
- the ledger is whole (``escrow.selectors.ledger_balances_off`` is empty, all entries sum to zero).

Each example runs in a savepoint rolled back at its end, so nothing queued on commit runs; the
disputes app's chargeback receivers do run, inside escrow's transaction (they open, join and close
the staff case). Funding is the result step of a paid charge (``tests.disputes.world.fund``) and a
chargeback is the result step of ``chargeback_sync`` (``chargeback_record``) given the processor's
view of the dispute; no processor calls.
"""

import sys
from dataclasses import replace
from datetime import timedelta

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from escrow import gateway
from escrow.models import Charge, ChargeDispute, Hold, LedgerEntry, Settlement
from escrow.selectors import ledger_balances_off
from escrow.services.chargebacks import chargeback_record
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import DomainError
from marketplace.disputes import services
from marketplace.disputes.models import Dispute, SettlementOffer
from tests.disputes.world import escalated, fund, make_support, open_dispute, submit, usd
from tests.factories import make_contract

SIDES = st.sampled_from(["client", "freelancer"])
WHICH = st.integers(0, 1)
PERCENT = st.integers(0, 100)
ENDED_WITH_MONEY = (Dispute.Status.DECIDED, Dispute.Status.SETTLED)
DISPUTE_FEE = 1500  # what the processor charges per chargeback (the fake's fee)


class DisputeMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.atomic = transaction.atomic()
        self.atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    @initialize(
        first=st.integers(100, 5_000_000),
        second=st.integers(100, 5_000_000),
        disputed=st.sampled_from(["no", "open", "escalated"]),
    )
    def a_funded_contract(self, first: int, second: int, disputed: str) -> None:
        """Two funded milestones, the first handed in (and often disputed by the client, with support
        already, so that the later steps are reached within the steps a run takes)."""
        self.contract = make_contract(milestones=(first, second))
        self.milestones = list(self.contract.milestones.order_by("position"))
        for milestone in self.milestones:
            fund(milestone)
        submit(self.milestones[0])
        if disputed != "no":
            dispute = open_dispute(self.milestones[0], amount=first // 2 or 1)
            if disputed == "escalated":
                escalated(dispute)
        self.support = make_support()
        self.chargebacks: dict[int, gateway.Dispute] = {}  # milestone index: its open chargeback

    # --- helpers ---------------------------------------------------------------------------------

    def _person(self, side: str):
        return self.contract.client if side == "client" else self.contract.freelancer

    def _milestone(self, which: int) -> Milestone:
        return Milestone.objects.select_related("contract").get(pk=self.milestones[which].pk)

    def _dispute(self, which: int) -> Dispute | None:
        return Dispute.objects.filter(milestone_id=self.milestones[which].pk).order_by("-pk").first()

    def _money(self) -> tuple:
        holds = dict(Hold.objects.filter(milestone__contract=self.contract).values_list("pk", "status"))
        settled = Settlement.objects.filter(hold_id__in=holds).count()
        return holds, settled, LedgerEntry.objects.count()

    def _attempt(self, move, *, moves_frozen_money: bool = False) -> object:
        """Run a move in a savepoint. Refused: it must change nothing. Done: no frozen hold's money
        moved unless ``moves_frozen_money`` (a decision or an accepted offer, which unfreeze first).
        A frozen hold may carry a lost chargeback's settlement already: only new ones count."""
        before = self._money()
        frozen = [pk for pk, status in before[0].items() if status == Hold.Status.FROZEN]
        settled_while_frozen = Settlement.objects.filter(hold_id__in=frozen).count()
        try:
            with transaction.atomic():
                result = move()
        except DomainError as refused:
            result = refused
        step = sys._getframe(1).f_code.co_name  # the rule's name, for the statistics
        event(f"{step}: {result.code if isinstance(result, DomainError) else 'done'}")
        if isinstance(result, DomainError):
            assert result.code
            assert self._money() == before, f"refused ({result.code}) but something changed"
        elif not moves_frozen_money:
            moved = Settlement.objects.filter(hold_id__in=frozen).count() != settled_while_frozen
            assert not moved, "money moved while frozen"
        return result

    # --- the work's own steps, the sweeps, cancelling -------------------------------------------

    @rule(which=WHICH)
    def submit(self, which: int) -> None:
        self._attempt(
            lambda: contracts.milestone_submit(
                acting_user=self.contract.freelancer, milestone=self._milestone(which), message="Here it is."
            )
        )

    @rule(which=WHICH)
    def ask_for_changes(self, which: int) -> None:
        self._attempt(
            lambda: contracts.milestone_request_revision(
                acting_user=self.contract.client,
                milestone=self._milestone(which),
                message="Please change it.",
            )
        )

    @rule(which=WHICH)
    def approve(self, which: int) -> None:
        self._attempt(
            lambda: contracts.milestone_approve(
                acting_user=self.contract.client, milestone=self._milestone(which)
            )
        )

    @rule(days=st.sampled_from([0, 4, 4, 15]))
    def time_passes(self, days: int) -> None:
        """The beat tasks run as if ``days`` had passed: escalation, then approvals and refunds."""
        later = timezone.now() + timedelta(days=days)
        self._attempt(lambda: services.disputes_escalate_due(now=later))
        self._attempt(lambda: contracts.milestones_due(now=later))

    @rule(side=SIDES, roll=st.integers(0, 3))
    def cancel(self, side: str, roll: int) -> None:
        if roll:
            return  # one try in four: a cancelled contract ends most of the story
        self._attempt(
            lambda: contracts.contract_cancel(
                acting_user=self._person(side),
                contract=self.contract,
                reason="We stop here.",
                cancel_reason="not_delivered",
            )
        )

    # --- dispute steps ----------------------------------------------------------------------------

    @rule(which=WHICH, side=SIDES, percent=st.integers(1, 100))
    def open(self, which: int, side: str, percent: int) -> None:
        milestone = self._milestone(which)
        self._attempt(
            lambda: services.dispute_open(
                acting_user=self._person(side),
                milestone=milestone,
                reason="cancellation" if side == "freelancer" else "quality",
                description="This is not what was agreed.",
                amount=usd(max(1, milestone.amount_minor * percent // 100)),
            )
        )

    @rule(which=WHICH, side=SIDES)
    def respond(self, which: int, side: str) -> None:
        if dispute := self._dispute(which):
            self._attempt(
                lambda: services.dispute_respond(
                    acting_user=self._person(side), dispute=dispute, response="That is not so."
                )
            )

    @rule(which=WHICH, side=SIDES)
    def ask_support(self, which: int, side: str) -> None:
        if dispute := self._dispute(which):
            self._attempt(
                lambda: services.dispute_ask_support(acting_user=self._person(side), dispute=dispute)
            )

    @rule(which=WHICH, side=SIDES, percent=PERCENT)
    def propose(self, which: int, side: str, percent: int) -> None:
        if dispute := self._dispute(which):
            held = dispute.hold.amount_minor
            release = held * percent // 100
            self._attempt(
                lambda: services.offer_propose(
                    acting_user=self._person(side),
                    dispute=dispute,
                    release=usd(release),
                    refund=usd(held - release),
                )
            )

    @rule(which=WHICH, side=SIDES)
    def accept(self, which: int, side: str) -> None:
        dispute = self._dispute(which)
        offer = dispute and dispute.offers.filter(status=SettlementOffer.Status.OPEN).first()
        if offer:
            done = self._attempt(
                lambda: services.offer_accept(acting_user=self._person(side), offer=offer),
                moves_frozen_money=True,
            )
            if isinstance(done, Dispute):
                self._balances(done)

    @rule(which=WHICH, outcome=st.sampled_from(Dispute.Outcome.values), percent=st.integers(1, 99))
    def decide(self, which: int, outcome: str, percent: int) -> None:
        if dispute := self._dispute(which):
            held = dispute.hold.amount_minor
            release = held * percent // 100
            parts = {"release": usd(release), "refund": usd(held - release)} if outcome == "split" else {}
            done = self._attempt(
                lambda: services.dispute_decide(
                    acting_user=self.support,
                    dispute=dispute,
                    outcome=outcome,
                    reason="On the evidence.",
                    **parts,
                ),
                moves_frozen_money=True,
            )
            if isinstance(done, Dispute):
                self._balances(done)

    @rule(which=WHICH, side=SIDES, roll=st.integers(0, 3))
    def withdraw(self, which: int, side: str, roll: int) -> None:
        if roll:
            return  # one try in four, so that decisions and settlements are reached as often
        if dispute := self._dispute(which):
            self._attempt(
                lambda: services.dispute_withdraw(
                    acting_user=self._person(side), dispute=dispute, reason="Let it go."
                )
            )

    # --- chargebacks (the card's bank) -----------------------------------------------------------

    @rule(which=WHICH, percent=st.integers(1, 100), inquiry=st.booleans())
    def chargeback_opens(self, which: int, percent: int, inquiry: bool) -> None:
        """The bank disputes the milestone's charge (once per charge): the processor takes the
        amount and its fee at once, unless it is only an inquiry so far."""
        if which in self.chargebacks:
            return
        charge = Charge.objects.get(hold_id=self._milestone(which).hold_id, status=Charge.Status.SUCCEEDED)
        amount = max(1, charge.amount_minor * percent // 100)
        dispute = gateway.Dispute(
            id=f"du_machine_{charge.pk}",
            charge_id=charge.charge_id,
            payment_intent_id=charge.payment_intent_id,
            amount_minor=amount,
            currency=charge.currency,
            reason="fraudulent",
            status="warning_needs_response" if inquiry else "needs_response",
            withdrawn_minor=0 if inquiry else amount,
            fee_minor=0 if inquiry else DISPUTE_FEE,
        )
        self._attempt(lambda: chargeback_record(dispute=dispute))
        self.chargebacks[which] = dispute

    @rule(which=WHICH, won=st.booleans())
    def chargeback_closes(self, which: int, won: bool) -> None:
        """The bank decides: won gives back what was taken; lost returns what the hold still holds
        of the amount to the card (the one way money leaves a frozen hold)."""
        dispute = self.chargebacks.get(which)
        if dispute is None or dispute.closed:
            return
        taken = dispute.withdrawn_minor + dispute.fee_minor
        closed = replace(dispute, status="won" if won else "lost", reinstated_minor=taken if won else 0)
        self._attempt(lambda: chargeback_record(dispute=closed), moves_frozen_money=not won)
        self.chargebacks[which] = closed

    def _balances(self, dispute: Dispute) -> None:
        """A decision or an accepted offer divided all the hold held (after what a lost chargeback
        returned to the card), and the settlements say so."""
        hold = Hold.objects.get(pk=dispute.hold_id)
        returned = ChargeDispute.objects.filter(hold=hold, settlement__isnull=False).values("settlement_id")
        charged_back = (
            Settlement.objects.filter(pk__in=returned).aggregate(total=Sum("principal_minor"))["total"] or 0
        )
        assert dispute.released_minor + dispute.refunded_minor + charged_back == hold.amount_minor
        assert hold.status == Hold.Status.SETTLED
        totals = dict(
            Settlement.objects.filter(hold=hold)
            .values("kind")
            .annotate(total=Sum("principal_minor"))
            .values_list("kind", "total")
        )
        assert totals.get("release", 0) == dispute.released_minor
        assert totals.get("refund", 0) == dispute.refunded_minor + charged_back

    # --- invariants -------------------------------------------------------------------------------

    @invariant()
    def frozen_exactly_while_a_dispute_is_active(self) -> None:
        """Frozen while a party's dispute is active or an open chargeback froze it; a chargeback's
        staff case is active exactly while its chargeback is open."""
        if not hasattr(self, "contract"):
            return
        for milestone in Milestone.objects.filter(contract=self.contract).select_related("hold"):
            on_hold = Dispute.objects.filter(hold_id=milestone.hold_id)
            party = on_hold.filter(status__in=Dispute.ACTIVE).exclude(kind=Dispute.Kind.CHARGEBACK).exists()
            chargebacks = ChargeDispute.objects.filter(hold_id=milestone.hold_id)
            froze = chargebacks.filter(froze_hold=True, outcome="").exists()
            assert (milestone.hold.status == Hold.Status.FROZEN) == (party or froze)
            if party:
                assert milestone.status in Milestone.DISPUTED
            for case in on_hold.filter(kind=Dispute.Kind.CHARGEBACK).select_related("chargeback"):
                assert case.is_active == (not case.chargeback.is_closed)
            open_chargebacks = set(chargebacks.filter(outcome="").values_list("pk", flat=True))
            cases = set(on_hold.filter(status__in=Dispute.ACTIVE).values_list("chargeback_id", flat=True))
            assert open_chargebacks <= cases, "an open chargeback without an active case"

    @invariant()
    def never_more_out_than_in(self) -> None:
        if not hasattr(self, "contract"):
            return
        for hold in Hold.objects.filter(milestone__contract=self.contract):
            out = Settlement.objects.filter(hold=hold).aggregate(total=Sum("principal_minor"))["total"] or 0
            assert out <= hold.amount_minor
            assert (out == hold.amount_minor) == (hold.status == Hold.Status.SETTLED)

    @invariant()
    def the_ledger_is_whole(self) -> None:
        assert ledger_balances_off() == []
        assert (LedgerEntry.objects.aggregate(total=Sum("amount_minor"))["total"] or 0) == 0


def test_disputes_never_move_frozen_money_and_every_decision_balances(db):
    run_state_machine_as_test(DisputeMachine)
