"""Chargebacks through the fake Stripe and the real webhook endpoint: the bank opens a dispute on a
milestone's charge (the fake's control API), the fake's own events are delivered to
``/stripe/webhook/`` signed as Stripe signs them, and the escrow reads the dispute back.

Opened: the hold is frozen and the processor's withdrawal is in the ledger. Won: unfrozen, the
money and fee come back. Lost while held: the hold's money went back to the card (the hold is
settled, nothing goes to the freelancer); lost after release: the platform's loss, the freelancer's
transfer untouched. Replays and reordering change nothing; a dispute of a charge that is not ours
is recorded and answered 200. The ledger's stored balances match its entries after each."""

import pytest
from django.db.models import Sum

from escrow.fake_stripe.disputes import DISPUTE_FEE
from escrow.models import (
    ChargeDispute,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    Settlement,
    Transfer,
)
from escrow.selectors import ledger_balances_off
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from tests.escrow.money_world import ledger_sum, onboard, pay_in_browser
from tests.escrow.test_webhook_replay import endpoint, post  # noqa: F401 — the fixture
from tests.factories import make_contract

Kind = LedgerAccount.Kind
AMOUNT = 100_000


@pytest.fixture(autouse=True)
def _ledger_stays_consistent(transactional_db):
    yield
    assert ledger_balances_off() == []
    assert (LedgerEntry.objects.aggregate(total=Sum("amount_minor"))["total"] or 0) == 0


def funded_milestone(fake, *, payouts: bool = False) -> Milestone:
    contract = make_contract(milestones=(AMOUNT,))
    milestone = contract.milestones.get()
    if payouts:
        onboard(fake, contract.freelancer)
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    milestone.refresh_from_db()
    return milestone


def released(endpoint, milestone: Milestone) -> Milestone:  # noqa: F811
    """Submitted and approved, once the freelancer's onboarding reached us (``account.updated``)."""
    deliver(endpoint)
    contract = milestone.contract
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    contract_services.milestone_approve(acting_user=contract.client, milestone=milestone)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    return milestone


def deliver(endpoint) -> None:  # noqa: F811
    """Stripe's own delivery of everything queued, oldest first."""
    endpoint.fake.resume_webhooks()
    endpoint.fake.flush_webhooks()
    endpoint.fake.pause_webhooks()


def charge_of(milestone: Milestone) -> str:
    return milestone.hold.charges.get().charge_id


def dispute_events(fake, dispute_id: str) -> list[dict]:
    """The dispute's events, oldest first."""
    return [e for e in reversed(fake.events("charge.dispute.*")) if e["data"]["object"]["id"] == dispute_id]


def processing_fees() -> int:
    """What Stripe kept of the charges as its fee: it left through processor clearing too."""
    return -ledger_sum(Kind.PROCESSOR_FEES)


def ledger_transactions() -> list[tuple]:
    return list(LedgerTransaction.objects.order_by("pk").values_list("kind", "external_id", "hold_id"))


def test_a_chargeback_freezes_the_hold_and_books_what_the_processor_took(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    disputed = milestone.hold.charge_amount_minor

    opened = fake.open_dispute(charge_of(milestone), reason="fraudulent")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    assert (record.hold_id, record.amount_minor, record.reason, record.status) == (
        milestone.hold_id,
        disputed,
        "fraudulent",
        "needs_response",
    )
    assert (record.froze_hold, record.fee_minor, record.outcome) == (True, DISPUTE_FEE, "")
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FROZEN
    assert ledger_sum(Kind.DISPUTED_FUNDS) == -(disputed + DISPUTE_FEE)
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == disputed + DISPUTE_FEE + processing_fees()
    assert ledger_sum(Kind.ESCROW_HELD, hold_id=milestone.hold_id) == disputed  # still held, frozen


def test_a_won_chargeback_unfreezes_the_hold_and_the_fee_comes_back(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake, payouts=True)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    fake.update_dispute(opened["id"], "under_review")
    fake.close_dispute(opened["id"], "won")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    assert (record.status, record.outcome) == ("won", "won")
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED
    for kind in (Kind.DISPUTED_FUNDS, Kind.DISPUTE_FEES, Kind.PLATFORM_LOSSES):
        assert ledger_sum(kind) == 0, kind
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == processing_fees() > 0  # only Stripe's fee on the charge
    released(endpoint, milestone)  # the money moves again
    assert Transfer.objects.get(settlement__hold=milestone.hold).status == Transfer.Status.SENT


def test_a_chargeback_lost_while_held_returns_the_held_money_to_the_card(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake, payouts=True)
    disputed = milestone.hold.charge_amount_minor
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    hold = Hold.objects.get(pk=milestone.hold_id)
    assert record.froze_hold
    assert (record.outcome, record.taken_from_hold_minor, record.platform_loss_minor) == ("lost", disputed, 0)
    assert hold.status == Hold.Status.SETTLED
    assert ledger_sum(Kind.ESCROW_HELD, hold_id=hold.pk) == 0
    assert ledger_sum(Kind.REFUNDS_PAYABLE, user_id=hold.payer_id) == 0
    assert ledger_sum(Kind.FREELANCER_PAYABLE, user_id=hold.payee_id) == 0
    assert not Transfer.objects.filter(settlement__hold=hold).exists()
    # A refund settlement of all of it, that nobody sends: the card network returned it.
    refunded = Settlement.objects.get(hold=hold)
    assert (refunded.kind, refunded.principal_minor) == ("refund", hold.amount_minor)
    assert not Refund.objects.filter(settlement__hold=hold).exists()
    assert ledger_sum(Kind.DISPUTE_FEES) == -DISPUTE_FEE
    assert ledger_sum(Kind.PLATFORM_LOSSES) == 0
    assert ledger_sum(Kind.DISPUTED_FUNDS) == 0
    assert ledger_sum(Kind.PLATFORM_REVENUE) == 0  # the client fee went back with the rest
    # What left the platform through Stripe: the disputed charge, the dispute's fee, the charge's fee.
    assert ledger_sum(Kind.PROCESSOR_CLEARING) == disputed + DISPUTE_FEE + processing_fees()
    assert fake.get("/v1/balance")["available"][0]["amount"] < 0  # the fake took the fee too


def test_a_chargeback_lost_after_release_is_the_platforms_loss_not_the_freelancers(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = released(endpoint, funded_milestone(fake, payouts=True))
    hold = milestone.hold
    transfer = Transfer.objects.get(settlement__hold=hold)
    payable_before = ledger_sum(Kind.FREELANCER_PAYABLE, user_id=hold.payee_id)
    opened = fake.open_dispute(charge_of(milestone))
    deliver(endpoint)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.SETTLED  # nothing to freeze
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    disputed = hold.charge_amount_minor
    assert (record.froze_hold, record.taken_from_hold_minor, record.platform_loss_minor) == (
        False,
        0,
        disputed,
    )
    assert ledger_sum(Kind.PLATFORM_LOSSES) == -disputed
    assert ledger_sum(Kind.DISPUTE_FEES) == -DISPUTE_FEE
    assert ledger_sum(Kind.FREELANCER_PAYABLE, user_id=hold.payee_id) == payable_before == 0
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.SENT
    sent = fake.get(f"/v1/transfers/{transfer.processor_id}")
    assert (sent["amount_reversed"], sent["reversed"]) == (0, False)  # never taken back silently
    assert fake.list("/v1/transfers/" + transfer.processor_id + "/reversals") == []


def test_replayed_and_reordered_events_change_nothing(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    opened = fake.open_dispute(charge_of(milestone))
    fake.update_dispute(opened["id"], "under_review")
    fake.close_dispute(opened["id"], "lost")
    events = dispute_events(fake, opened["id"])
    assert [e["type"] for e in events][-1] == "charge.dispute.closed"

    for event in reversed(events):  # the close first, the creation last
        post(endpoint, event)
    state = ledger_transactions()
    for event in events + events[::-1]:  # every one again, in both orders
        endpoint.fake.deliver(event, endpoint.url, endpoint.secret)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    assert (record.status, record.outcome) == ("lost", "lost")  # a late "updated" does not reopen it
    assert (
        list(LedgerTransaction.objects.order_by("pk").values_list("kind", "external_id", "hold_id")) == state
    )
    assert [kind for kind, *_ in state].count(LedgerTransaction.Kind.CHARGEBACK_LOST) == 1
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.SETTLED


def test_a_late_update_after_a_won_close_does_not_freeze_again(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    opened = fake.open_dispute(charge_of(milestone))
    fake.update_dispute(opened["id"], "under_review")
    fake.close_dispute(opened["id"], "won")
    events = {e["type"]: e for e in dispute_events(fake, opened["id"])}
    post(endpoint, events["charge.dispute.created"])
    post(endpoint, events["charge.dispute.closed"])
    post(endpoint, events["charge.dispute.updated"])  # late

    assert ChargeDispute.objects.get(dispute_id=opened["id"]).outcome == "won"
    assert Hold.objects.get(pk=milestone.hold_id).status == Hold.Status.FUNDED


def test_a_chargeback_on_a_charge_that_is_not_ours_is_recorded_not_an_error(endpoint):  # noqa: F811
    fake = endpoint.fake
    intent = fake.post(
        "/v1/payment_intents",
        amount=5000,
        currency="usd",
        payment_method="pm_card_visa",
        payment_method_types=["card"],
        confirm=True,
    )
    opened = fake.open_dispute(intent["latest_charge"])
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    assert (record.charge_id, record.hold_id, record.outcome) == (None, None, "lost")
    assert record.processor_charge_id == intent["latest_charge"]
    assert not LedgerTransaction.objects.exists()
    assert all(d["status"] == 200 for d in fake.webhook_deliveries())


def test_a_partial_chargeback_lost_while_held_returns_its_part_and_the_rest_moves_on(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake, payouts=True)
    hold = milestone.hold
    opened = fake.open_dispute(charge_of(milestone), amount=30_000)
    deliver(endpoint)
    fake.close_dispute(opened["id"], "lost")
    deliver(endpoint)

    record = ChargeDispute.objects.get(dispute_id=opened["id"])
    part = Settlement.objects.get(hold=hold)
    assert part.kind == "refund"
    assert record.taken_from_hold_minor == part.principal_minor + part.client_fee_minor
    assert 30_000 - record.taken_from_hold_minor == record.platform_loss_minor <= 1  # a rounding sliver
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.FUNDED  # unfrozen, the rest still held
    released(endpoint, milestone)  # the rest goes to the freelancer
    assert ledger_sum(Kind.ESCROW_HELD, hold_id=hold.pk) == 0
    rest = Settlement.objects.get(hold=hold, kind="release")
    assert rest.principal_minor == AMOUNT - part.principal_minor
