"""The reconciliation (escrow/services/reconciliation) against the fake Stripe and PostgreSQL: a normal
money story reconciles with no finding, and each kind of mismatch, injected into the fake (its API, or
its control endpoints that change or forget an object) or into the database, is reported with both
sides' objects. Then the run itself: a processor that does not answer, the window's edge, bounded
queries, and staff explaining a finding."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from escrow import gateway
from escrow.models import (
    Charge,
    Hold,
    LedgerTransaction,
    ReconciliationFinding,
    ReconciliationRun,
    Refund,
    Transfer,
)
from escrow.services.chargebacks import chargeback_sync
from escrow.services.charges import charge_record_success
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import refund_send, transfer_send
from escrow.services.reconciliation import finding_explain, reconciliation_execute, reconciliation_start
from escrow.tasks import ledger_reconcile
from marketplace.contracts import services as contract_services
from marketplace.core.audit import audit_trail
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from tests.escrow.builders import milestone_hold
from tests.escrow.money_world import onboard, pay_in_browser
from tests.factories import make_contract, make_user
from tests.support.concurrently import at_once

Kind = ReconciliationFinding.Kind
pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def fake(stripe_fake, settings):
    settings.RECONCILIATION_GRACE_SECONDS = 0  # the objects of a test are seconds old
    return stripe_fake


def _reconcile() -> ReconciliationRun:
    return reconciliation_execute(reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE))


def _found(run: ReconciliationRun) -> list[tuple]:
    return sorted(
        (f.kind, f.processor_id, f.processor_amount_minor, f.ledger_amount_minor)
        for f in run.findings.filter(explained_at__isnull=True)
    )


def _fund(fake, contract, milestone) -> Charge:
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    return contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )


def _payouts_ready(fake, user) -> None:
    """The freelancer onboards and comes back to the return page, which reads the account."""
    connected_account_sync(account_id=onboard(fake, user).account_id)


def _story(fake):
    """Fund two milestones, release one (paid out), refund the other (the contract cancelled)."""
    contract = make_contract(milestones=(60_000, 40_000))
    first, second = contract.milestones.order_by("position")
    _payouts_ready(fake, contract.freelancer)
    _fund(fake, contract, first)
    _fund(fake, contract, second)
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=first, message="Done.")
    contract_services.milestone_approve(acting_user=contract.client, milestone=first)
    transfer_send(Transfer.objects.get(settlement__hold__milestone=first).pk)
    contract_services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    contract_services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))
    refund_send(Refund.objects.get(settlement__hold__milestone=second).pk)
    return contract


def _posting(kind: str, external_id: str) -> LedgerTransaction:
    return LedgerTransaction.objects.get(kind=kind, external_id=external_id)


def test_a_normal_money_story_reconciles_with_no_finding(fake):
    _story(fake)
    run = _reconcile()
    assert run.status == ReconciliationRun.Status.DONE, run.error
    assert _found(run) == []
    assert run.compared == {
        "payment_intent": 2,
        "refund": 1,
        "transfer": 1,
        "balance_transaction": 2,
        "dispute": 0,
    }
    assert ledger_reconcile() == 0  # the nightly task: its own run, nothing unexplained


def test_the_gateway_reads_lists_page_by_page_and_objects_by_id(fake):
    made = [
        fake.post(
            "/v1/payment_intents",
            amount=1000 + i,
            currency="eur",
            payment_method="pm_card_visa",
            confirm="true",
            payment_method_types=["card"],
            metadata={"hold_id": i},
        )
        for i in range(5)
    ]
    now = int(timezone.now().timestamp())
    listed = list(
        gateway.list_objects("payment_intent", created_gte=now - 60, created_lte=now + 60, page_size=2)
    )
    assert [obj.id for obj in listed] == [pi["id"] for pi in reversed(made)]
    last = listed[0]
    assert (last.kind, last.amount_minor, last.currency, last.status) == (
        "payment_intent",
        1004,
        "EUR",
        "succeeded",
    )
    assert last.metadata == {"hold_id": "4"}
    assert list(gateway.list_objects("payment_intent", created_gte=now + 60, created_lte=now + 120)) == []
    assert gateway.retrieve_object("payment_intent", made[0]["id"]).amount_minor == 1000
    assert gateway.retrieve_object("transfer", "tr_nothing") is None


# --- the processor has what we do not ------------------------------------------------------------------


def test_a_paid_payment_nobody_recorded_is_a_charge_missing_in_the_ledger(fake):
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)  # the page's confirmation and the webhook never came
    run = _reconcile()
    assert _found(run) == [(Kind.CHARGE_MISSING_IN_LEDGER, charge.payment_intent_id, 63_000, None)]
    finding = run.findings.get()
    assert (finding.ledger_ref, finding.hold_id) == (f"charge {charge.pk}", charge.hold_id)
    assert "has no funding in the ledger" in finding.detail
    assert finding.action.startswith("The retry sweep")


def test_objects_someone_made_at_stripe_by_hand_are_orphans(fake):
    account = onboard(fake, make_contract(milestones=(10_000,)).freelancer)
    intent = fake.post(
        "/v1/payment_intents",
        amount=5000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm="true",
        payment_method_types=["card"],
    )
    refund = fake.post("/v1/refunds", payment_intent=intent["id"], amount=1000)
    transfer = fake.post("/v1/transfers", amount=2000, currency="usd", destination=account.account_id)
    run = _reconcile()
    assert _found(run) == sorted(
        [
            (Kind.ORPHAN_PROCESSOR_OBJECT, intent["id"], 5000, None),
            (Kind.ORPHAN_PROCESSOR_OBJECT, refund["id"], 1000, None),
            (Kind.ORPHAN_PROCESSOR_OBJECT, transfer["id"], 2000, None),
        ]
    )
    assert {f.processor_type for f in run.findings.all()} == {"payment_intent", "refund", "transfer"}


def test_a_refund_someone_made_in_the_dashboard_is_missing_in_the_ledger(fake):
    contract = _story(fake)
    charge = Charge.objects.filter(hold__milestone__contract=contract).order_by("pk").first()
    refund = fake.post("/v1/refunds", payment_intent=charge.payment_intent_id, amount=700)
    run = _reconcile()
    assert _found(run) == [(Kind.REFUND_MISSING_IN_LEDGER, refund["id"], 700, None)]
    assert run.findings.get().hold_id == charge.hold_id  # the hold of the payment it refunds


@pytest.mark.parametrize(
    ("call", "send", "kind"),
    [
        ("/v1/transfers", "transfer", Kind.TRANSFER_MISSING_IN_LEDGER),
        ("/v1/refunds", "refund", Kind.REFUND_MISSING_IN_LEDGER),
    ],
)
def test_money_stripe_moved_whose_answer_we_lost_is_missing_in_the_ledger(fake, call, send, kind):
    """Stripe made the transfer or refund but its answer never arrived (until the retry sweep)."""
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    _payouts_ready(fake, contract.freelancer)
    _fund(fake, contract, milestone)
    if send == "transfer":
        contract_services.milestone_submit(
            acting_user=contract.freelancer, milestone=milestone, message="Done."
        )
        contract_services.milestone_approve(acting_user=contract.client, milestone=milestone)
        row, step = Transfer.objects.get(settlement__hold__milestone=milestone), transfer_send
    else:
        contract_services.contract_cancel(
            acting_user=contract.client, contract=contract, reason="No longer.", cancel_reason="plans_changed"
        )
        contract_services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))
        row, step = Refund.objects.get(settlement__hold__milestone=milestone), refund_send
    fake.inject_fault("POST", call, "timeout_after", delay=4.5)
    with pytest.raises(gateway.ProcessorUnavailable):
        step(row.pk)
    (made,) = fake.list(call)
    run = _reconcile()
    assert _found(run) == [(kind, made["id"], row.amount_minor, None)]
    assert run.findings.get().hold_id == milestone.hold_id


# --- the ledger has what the processor does not --------------------------------------------------------


def test_a_funding_whose_payment_stripe_does_not_have(fake):
    contract = _story(fake)
    charge = Charge.objects.filter(hold__milestone__contract=contract).order_by("pk").first()
    posting = _posting("fund", charge.payment_intent_id)
    fake.forget(charge.payment_intent_id)
    run = _reconcile()
    assert _found(run) == [(Kind.LEDGER_FUND_WITHOUT_CHARGE, charge.payment_intent_id, None, 63_000)]
    finding = run.findings.get()
    assert (finding.ledger_ref, finding.hold_id) == (f"ledger transaction {posting.pk}", charge.hold_id)
    assert "Stripe has no such payment" in finding.detail


def test_a_funding_whose_payment_stripe_shows_canceled(fake):
    contract = _story(fake)
    charge = Charge.objects.filter(hold__milestone__contract=contract).order_by("pk").first()
    fake.tamper(charge.payment_intent_id, status="canceled")
    run = _reconcile()
    assert _found(run) == [(Kind.LEDGER_FUND_WITHOUT_CHARGE, charge.payment_intent_id, 63_000, 63_000)]
    assert "Stripe shows that payment canceled" in run.findings.get().detail


def test_a_payment_of_another_amount(fake):
    contract = _story(fake)
    charge = Charge.objects.filter(hold__milestone__contract=contract).order_by("pk").first()
    fake.tamper(charge.payment_intent_id, amount=62_000)
    assert _found(_reconcile()) == [(Kind.AMOUNT_MISMATCH, charge.payment_intent_id, 62_000, 63_000)]


def test_refunds_missing_failed_or_of_another_amount(fake):
    contract = _story(fake)
    refund = Refund.objects.get(settlement__hold__milestone__contract=contract)
    amount = refund.amount_minor
    fake.tamper(refund.processor_id, amount=amount - 1)
    assert _found(_reconcile()) == [(Kind.REFUND_AMOUNT_MISMATCH, refund.processor_id, amount - 1, amount)]
    fake.tamper(refund.processor_id, amount=amount, status="failed")
    assert _found(_reconcile()) == [(Kind.REFUND_FAILED, refund.processor_id, amount, amount)]
    fake.forget(refund.processor_id)
    assert _found(_reconcile()) == [(Kind.REFUND_MISSING, refund.processor_id, None, amount)]


def test_transfers_missing_reversed_or_of_another_amount(fake):
    contract = _story(fake)
    transfer = Transfer.objects.get(settlement__hold__milestone__contract=contract)
    amount = transfer.amount_minor
    fake.post(f"/v1/transfers/{transfer.processor_id}/reversals", amount=500)  # from the Dashboard
    assert _found(_reconcile()) == [(Kind.TRANSFER_REVERSED, transfer.processor_id, 500, amount)]
    fake.tamper(transfer.processor_id, amount=amount + 100, amount_reversed=0)
    assert _found(_reconcile()) == [
        (Kind.TRANSFER_AMOUNT_MISMATCH, transfer.processor_id, amount + 100, amount)
    ]
    fake.forget(transfer.processor_id)
    assert _found(_reconcile()) == [(Kind.TRANSFER_MISSING, transfer.processor_id, None, amount)]


def test_a_stored_balance_changed_behind_the_ledgers_back(fake):
    contract = _story(fake)
    hold = Hold.objects.filter(milestone__contract=contract).order_by("pk").first()
    key = f"escrow_held:USD:hold:{hold.pk}"
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE escrow_ledgeraccount DISABLE TRIGGER escrow_balance_from_entries_only")
        cursor.execute("UPDATE escrow_ledgeraccount SET balance_minor = 5 WHERE key = %s", [key])
        cursor.execute("ALTER TABLE escrow_ledgeraccount ENABLE TRIGGER escrow_balance_from_entries_only")
    run = _reconcile()
    assert _found(run) == [(Kind.STORED_BALANCE_OFF, "", None, 5)]
    assert run.findings.get().ledger_ref == f"ledger account {key}"


# --- the run --------------------------------------------------------------------------------------------


def test_a_payment_made_before_the_window_is_read_by_its_id(fake):
    """The funding is in the window but its PaymentIntent was made long before (the card form left
    open): the listing does not meet it, so it is read by id, and it matches."""
    contract = _story(fake)
    charge = Charge.objects.filter(hold__milestone__contract=contract).order_by("pk").first()
    long_ago = int((timezone.now() - timedelta(days=60)).timestamp())
    fake.tamper(charge.payment_intent_id, created=long_ago)
    run = _reconcile()
    assert _found(run) == []
    assert run.compared["payment_intent"] == 2  # one listed, one read by id


def test_a_processor_that_does_not_answer_leaves_the_run_incomplete(fake):
    contract = _story(fake)
    transfer = Transfer.objects.get(settlement__hold__milestone__contract=contract)
    fake.forget(transfer.processor_id)
    fake.inject_fault("GET", "/v1/payment_intents", "error", count=1)
    run = _reconcile()
    assert run.status == ReconciliationRun.Status.INCOMPLETE
    assert run.error.startswith("Stripe's payments could not be compared")
    assert _found(run) == [(Kind.TRANSFER_MISSING, transfer.processor_id, None, transfer.amount_minor)]
    assert "payment_intent" not in run.compared


def test_one_run_at_a_time_and_a_stopped_one_is_closed(fake):
    first = reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE)
    with pytest.raises(Conflict) as running:
        reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE)
    assert running.value.code == "reconciliation_running"
    assert ledger_reconcile() == 0  # the nightly task skips
    ReconciliationRun.objects.filter(pk=first.pk).update(started_at=timezone.now() - timedelta(hours=3))
    second = reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE)
    first.refresh_from_db()
    assert first.status == ReconciliationRun.Status.INCOMPLETE
    assert second.status == ReconciliationRun.Status.RUNNING


def _funded_at_the_fake(fake, count: int) -> None:
    """``count`` holds funded by PaymentIntents the fake really has (no webhooks, no card form),
    recorded with their fees, each disputed at the fake and the dispute recorded here."""
    contracts = [make_contract(milestones=[10_000] * min(20, count - done)) for done in range(0, count, 20)]
    for milestone in (m for contract in contracts for m in contract.milestones.all()):
        hold = milestone_hold(milestone)
        intent = fake.post(
            "/v1/payment_intents",
            amount=hold.charge_amount_minor,
            currency="usd",
            payment_method="pm_card_visa",
            confirm="true",
            payment_method_types=["card"],
            metadata={"hold_id": hold.pk},
        )
        charge = Charge.objects.create(
            hold=hold,
            idempotency_key=f"charge-reconciliation-{hold.pk}",
            status=Charge.Status.OPEN,
            amount_minor=hold.charge_amount_minor,
            currency="USD",
            payment_intent_id=intent["id"],
        )
        charge_record_success(charge=charge, intent=gateway.retrieve_payment_intent(intent["id"]))
        chargeback_sync(dispute_id=fake.open_dispute(intent["latest_charge"])["id"])


def test_the_queries_do_not_grow_with_the_objects(fake):
    counts = []
    for count, more in ((1, 1), (50, 49)):
        _funded_at_the_fake(fake, more)
        run = reconciliation_start(trigger=ReconciliationRun.Trigger.SCHEDULE)
        with CaptureQueriesContext(connection) as queries:
            reconciliation_execute(run)
        assert [run.compared[kind] for kind in ("payment_intent", "balance_transaction", "dispute")] == [
            count
        ] * 3
        assert _found(run) == []
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- explaining ----------------------------------------------------------------------------------------


def test_staff_explain_a_finding_and_a_later_run_carries_it_over(fake):
    contract = _story(fake)
    transfer = Transfer.objects.get(settlement__hold__milestone__contract=contract)
    fake.post(f"/v1/transfers/{transfer.processor_id}/reversals", amount=500)
    finding = _reconcile().findings.get()
    staff, member = make_user(staff=True), contract.client

    with pytest.raises(PermissionDenied):
        finding_explain(acting_user=member, finding_id=finding.pk, note="Looks fine.")
    with pytest.raises(InvalidInput) as empty:
        finding_explain(acting_user=staff, finding_id=finding.pk, note="  ")
    assert empty.value.code == "note_required"
    explained = finding_explain(acting_user=staff, finding_id=finding.pk, note="Reversed for a chargeback.")
    assert (explained.explained_by, explained.explanation) == (staff, "Reversed for a chargeback.")
    with pytest.raises(Conflict) as again:
        finding_explain(acting_user=staff, finding_id=finding.pk, note="Again.")
    assert again.value.code == "already_explained"
    (entry,) = audit_trail(finding)
    assert (entry.actor, entry.action, entry.data["note"]) == (
        staff,
        "reconciliation.finding_explained",
        "Reversed for a chargeback.",
    )

    later = _reconcile()
    assert _found(later) == []
    carried = later.findings.get()
    assert (carried.kind, carried.explanation) == (Kind.TRANSFER_REVERSED, "Reversed for a chargeback.")
    assert ledger_reconcile() == 0

    fake.post(f"/v1/transfers/{transfer.processor_id}/reversals", amount=100)  # a new amount: a new finding
    assert _found(_reconcile()) == [
        (Kind.TRANSFER_REVERSED, transfer.processor_id, 600, transfer.amount_minor)
    ]


# --- races ---------------------------------------------------------------------------------------------


def test_two_staff_explaining_one_finding_at_once_explain_it_once(fake):
    run = ReconciliationRun.objects.create(window_start=timezone.now(), window_end=timezone.now())
    finding = ReconciliationFinding.objects.create(
        run=run, kind=Kind.TRANSFER_MISSING, detail="d", action="a", fingerprint="race"
    )
    first, second = make_user(staff=True), make_user(staff=True)
    outcomes = at_once(
        lambda: finding_explain(acting_user=first, finding_id=finding.pk, note="Mine."),
        lambda: finding_explain(acting_user=second, finding_id=finding.pk, note="No, mine."),
    )
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert [getattr(outcome, "code", "") for outcome in refused] == ["already_explained"], outcomes
    finding.refresh_from_db()
    assert audit_trail(finding).get().data["note"] == finding.explanation


def test_two_runs_starting_at_once_make_one(fake):
    outcomes = at_once(*[lambda: reconciliation_start(trigger=ReconciliationRun.Trigger.STAFF)] * 2)
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert [getattr(outcome, "code", "") for outcome in refused] == ["reconciliation_running"], outcomes
    assert ReconciliationRun.objects.filter(status=ReconciliationRun.Status.RUNNING).count() == 1
