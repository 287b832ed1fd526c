"""A card chargeback's staff case, driven end to end: the bank's dispute on the fake Stripe, its
events through ``/stripe/webhook/``, escrow's chargeback signals, and the disputes app's receivers.

The case is a dispute of kind chargeback, escalated at once (support's queue, with the decision
target), opened by nobody; it closes when the bank decides, with the outcome written on it, and
both the opening and the closing are announced (``dispute_opened``, ``dispute_step`` "closed") for
notifications to reach support and both parties."""

from contextlib import contextmanager

import pytest

from escrow.models import ChargeDispute, Hold
from escrow.selectors import ledger_balances_off
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import Conflict
from marketplace.core.money import Money
from marketplace.disputes import events
from marketplace.disputes.models import Dispute
from marketplace.disputes.services import dispute_decide, dispute_open, dispute_withdraw
from tests.escrow.test_chargebacks import charge_of, deliver, funded_milestone, released
from tests.escrow.test_webhook_replay import endpoint, post  # noqa: F401 — the fixture
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _ledger_stays_consistent(transactional_db):
    yield
    assert ledger_balances_off() == []


@contextmanager
def announced():
    """The disputes events sent inside: [(name, dispute id, step)]."""
    sent = []

    def opened(sender, *, dispute, **kwargs):
        sent.append(("opened", dispute.pk, None))

    def step(sender, *, dispute, step, **kwargs):
        sent.append(("step", dispute.pk, step))

    events.dispute_opened.connect(opened, weak=False)
    events.dispute_step.connect(step, weak=False)
    try:
        yield sent
    finally:
        events.dispute_opened.disconnect(opened)
        events.dispute_step.disconnect(step)


def test_a_chargeback_opens_an_escalated_staff_case(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    with announced() as sent:
        opened = fake.open_dispute(charge_of(milestone), reason="product_not_received")
        deliver(endpoint)

    case = Dispute.objects.get()
    assert (case.kind, case.status, case.reason) == ("chargeback", "escalated", "chargeback")
    assert (case.opened_by, case.opened_by_side) == (None, "")
    assert (case.milestone_id, case.hold_id, case.contract_id) == (
        milestone.pk,
        milestone.hold_id,
        milestone.contract_id,
    )
    assert case.chargeback == ChargeDispute.objects.get(dispute_id=opened["id"])
    assert case.decide_by > case.escalated_at
    assert case.amount_minor == milestone.hold.charge_amount_minor
    assert "product_not_received" in case.description
    assert "frozen" in case.description
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN
    assert sent == [("opened", case.pk, None)]
    # The same events again: still one case, announced once.
    with announced() as again:
        for event in fake.events("charge.dispute.*"):
            post(endpoint, event)
    assert (Dispute.objects.count(), again) == (1, [])


def test_a_won_chargeback_closes_the_case_and_unfreezes(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    with announced() as sent:
        fake.close_dispute(opened["id"], "won")
        deliver(endpoint)

    case = Dispute.objects.get()
    assert (case.status, case.outcome) == ("closed", "")
    assert case.resolved_at is not None
    assert "payment stands" in case.resolution_note
    assert sent == [("step", case.pk, "closed")]
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.FUNDED


def test_a_chargeback_lost_while_held_closes_the_case_as_refunded(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    case = Dispute.objects.get()
    assert (case.status, case.outcome, case.refunded_minor) == (
        "closed",
        "refund_all",
        milestone.amount_minor,
    )
    assert "went back to the client's card" in case.resolution_note
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.REFUNDED
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.SETTLED


def test_a_chargeback_lost_after_release_says_the_platform_bears_it(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = released(endpoint, funded_milestone(fake, payouts=True))
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    assert Dispute.objects.get().status == "escalated"  # a case, although nothing could be frozen
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    case = Dispute.objects.get()
    assert (case.status, case.outcome) == ("closed", "")
    assert "the platform bears" in case.resolution_note
    assert "nothing is taken back from the freelancer" in case.resolution_note
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.RELEASED


def _party_dispute(milestone: Milestone) -> Dispute:
    return dispute_open(
        acting_user=milestone.contract.client,
        milestone=milestone,
        reason=Dispute.Reason.QUALITY,
        description="The work is not what we agreed.",
        amount=Money(milestone.amount_minor, milestone.hold.currency),
    )


def test_a_chargeback_joins_a_partys_open_dispute_which_stays_with_support_when_won(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    party = _party_dispute(milestone)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)

    case = Dispute.objects.get()  # no second case: the party's dispute is the chargeback's
    assert (case.pk, case.kind, case.status) == (party.pk, "milestone", "escalated")
    assert case.chargeback.dispute_id == opened["id"]
    assert case.chargeback.froze_hold is False  # the party's dispute froze it
    fake.close_dispute(opened["id"], "won")
    deliver(endpoint)

    case.refresh_from_db()
    assert case.status == "escalated"  # support still decides the party's claim
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN


def test_nothing_moves_or_unfreezes_a_partys_dispute_while_its_chargeback_is_open(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    party = _party_dispute(milestone)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    support = make_user(is_support=True)

    def decide():
        return dispute_decide(
            acting_user=support, dispute=party, outcome="release_all", reason="The work was delivered."
        )

    with pytest.raises(Conflict) as refused:
        decide()
    assert refused.value.code == "chargeback_open"
    with pytest.raises(Conflict) as refused:
        dispute_withdraw(acting_user=milestone.contract.client, dispute=party, reason="We settled it.")
    assert refused.value.code == "chargeback_open"
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN

    fake.close_dispute(opened["id"], "won")  # the bank is done: support decides the party's claim
    deliver(endpoint)
    party.refresh_from_db()
    assert decide().status == "decided"
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.SETTLED  # released to the freelancer


def test_a_lost_chargeback_ends_a_partys_dispute_whose_money_it_took(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    _party_dispute(milestone)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    case = Dispute.objects.get()
    assert (case.status, case.outcome) == ("closed", "refund_all")
    assert case.refunded_minor == milestone.amount_minor
    assert case.refunded_minor == milestone.amount_minor
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.SETTLED
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.REFUNDED
