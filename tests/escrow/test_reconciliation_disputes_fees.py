"""The reconciliation's fee and dispute checks (escrow/services/reconciliation/fees.py, disputes.py)
against the fake Stripe: a funding with its processor fee and chargebacks told to us by Stripe's own
webhooks reconcile with no finding; each mismatch, injected into the fake (its control API) or the
database, is reported."""

import pytest
from django.db import transaction
from django.utils import timezone

from escrow import locks
from escrow.models import Charge, ChargeDispute, LedgerTransaction, ReconciliationFinding
from escrow.services.holds import hold_fund
from tests.escrow.builders import milestone_hold
from tests.escrow.test_chargebacks import charge_of, deliver, funded_milestone, released
from tests.escrow.test_reconciliation import _found, _reconcile
from tests.escrow.test_webhook_replay import endpoint  # noqa: F401 — the fixture
from tests.factories import make_contract

Kind = ReconciliationFinding.Kind
pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture(autouse=True)
def _no_grace(settings):
    settings.RECONCILIATION_GRACE_SECONDS = 0  # the objects of a test are seconds old


def _fee(milestone) -> LedgerTransaction:
    return LedgerTransaction.objects.get(kind=LedgerTransaction.Kind.PROCESSOR_FEE, hold=milestone.hold)


def test_a_funding_with_its_fee_and_chargebacks_won_and_lost_reconcile(endpoint):  # noqa: F811
    fake = endpoint.fake
    lost = released(endpoint, funded_milestone(fake, payouts=True))  # open → lost after release
    won = funded_milestone(fake)  # open → won
    for milestone, outcome in ((lost, "lost"), (won, "won")):
        dispute = fake.open_dispute(charge_of(milestone))
        deliver(endpoint)
        fake.close_dispute(dispute["id"], outcome)
        deliver(endpoint)
        assert ChargeDispute.objects.get(dispute_id=dispute["id"]).outcome == outcome
    run = _reconcile()
    assert run.status == run.Status.DONE, run.error
    assert _found(run) == []
    assert (run.compared["dispute"], run.compared["balance_transaction"]) == (2, 2)


def test_a_fee_of_another_amount_or_from_a_balance_transaction_stripe_lacks(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    posting = _fee(milestone)
    txn, kept = posting.external_id, posting.entries.filter(amount_minor__gt=0).get().amount_minor
    fake.tamper(txn, fee=kept + 7)
    assert _found(_reconcile()) == [(Kind.FEE_AMOUNT_MISMATCH, txn, kept + 7, kept)]
    fake.forget(txn)
    assert _found(_reconcile()) == [(Kind.FEE_WITHOUT_BALANCE_TRANSACTION, txn, None, kept)]


def test_a_charge_whose_fee_the_ledger_never_booked(endpoint):  # noqa: F811
    fake = endpoint.fake
    contract = make_contract(milestones=(10_000,))
    hold = milestone_hold(contract.milestones.get())
    intent = fake.post(
        "/v1/payment_intents",
        amount=hold.charge_amount_minor,
        currency="usd",
        payment_method="pm_card_visa",
        confirm="true",
        payment_method_types=["card"],
        metadata={"hold_id": hold.pk},
    )
    charge = Charge.objects.create(  # recorded, but its fee not booked
        hold=hold,
        idempotency_key=f"charge-fee-{hold.pk}",
        status=Charge.Status.SUCCEEDED,
        amount_minor=hold.charge_amount_minor,
        currency="USD",
        payment_intent_id=intent["id"],
        charge_id=intent["latest_charge"],
        succeeded_at=timezone.now(),
    )
    with transaction.atomic():
        hold_fund(hold=locks.lock_hold(hold), charge=charge)
    txn = fake.get(f"/v1/charges/{charge.charge_id}")["balance_transaction"]
    kept = fake.get(f"/v1/balance_transactions/{txn}")["fee"]
    assert kept > 0
    run = _reconcile()
    assert _found(run) == [(Kind.FEE_MISSING_IN_LEDGER, txn, kept, None)]
    assert charge.charge_id in run.findings.get().detail


def test_disputes_never_recorded_decided_differently_or_of_another_amount(endpoint):  # noqa: F811
    fake = endpoint.fake
    milestone = funded_milestone(fake)
    amount = milestone.hold.charge_amount_minor
    dispute = fake.open_dispute(charge_of(milestone))["id"]  # its webhooks never delivered
    assert _found(_reconcile()) == [(Kind.DISPUTE_NOT_RECORDED, dispute, amount, None)]
    deliver(endpoint)
    fake.close_dispute(dispute, "lost")  # Stripe decided; the event is not delivered yet
    finding = _reconcile().findings.get()
    assert (finding.kind, finding.hold_id) == (Kind.DISPUTE_STATUS_MISMATCH, milestone.hold_id)
    assert "is lost; here it is open (needs_response)" in finding.detail
    deliver(endpoint)
    ChargeDispute.objects.filter(dispute_id=dispute).update(amount_minor=amount - 100)
    assert _found(_reconcile()) == [(Kind.DISPUTE_AMOUNT_MISMATCH, dispute, amount, amount - 100)]
