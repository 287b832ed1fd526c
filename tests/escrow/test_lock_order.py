"""The lock order, as code: every ``select_for_update`` in escrow is in ``escrow/locks.py``, and every escrow
service takes its locks through those helpers in the one order — the hold, then its escrow rows (charge,
transfer, refund), then ledger accounts in primary-key order. The helpers are wrapped here, and the
entries' inserts watched (the database locks a posting's guarded accounts then), to record what each
service call locks, in the order it locks it."""

import dataclasses
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

from escrow import gateway, locks
from escrow.models import Charge, Hold, LedgerEntry, LedgerTransaction, Refund, Transfer
from escrow.services.chargebacks import chargeback_record
from escrow.services.charges import charge_record_success, charge_start
from escrow.services.holds import (
    hold_freeze,
    hold_refund,
    hold_release,
    hold_split,
    hold_unfreeze,
)
from escrow.services.payouts import refund_record, transfer_record, transfers_unblock_for
from marketplace.core.money import Money
from tests.escrow.builders import fund, milestone_hold, payouts_ready
from tests.factories import make_contract

ESCROW = Path(__file__).resolve().parents[2] / "escrow"


def test_every_row_lock_in_escrow_is_taken_by_the_lock_helpers():
    for path in ESCROW.rglob("*.py"):
        if "fake_stripe" in path.parts or path.name == "locks.py":
            continue
        assert not re.search(r"select_for_update\(", path.read_text()), f"{path} locks rows itself"


@pytest.fixture
def recorder(monkeypatch):
    """``with recorder() as taken:`` — the (level, kind, pk) of every row the helpers lock inside."""
    log: list[tuple[int, str, int]] | None = None

    def note(level: int, kind: str, pk: int) -> None:
        if log is not None:
            log.append((level, kind, pk))

    def wrap(name, record):
        original = getattr(locks, name)

        def recorded(*args, **kwargs):
            result = original(*args, **kwargs)
            record(result)
            return result

        monkeypatch.setattr(locks, name, recorded)

    # The helpers call each other through the module (lock_charge locks the hold through lock_hold),
    # so the wrapped versions see the inner locks too, in the order they are taken.
    wrap("lock_hold", lambda hold: note(1, "hold", hold.pk))
    wrap("lock_charge", lambda pair: note(2, "charge", pair[1].pk))
    wrap("lock_outgoing", lambda pair: note(2, type(pair[1]).__name__.lower(), pair[1].pk))
    wrap("lock_transfers", lambda rows: [note(2, "transfer", row.pk) for row in rows])
    wrap("lock_ledger_accounts", lambda pks: [note(3, "ledger", pk) for pk in pks])

    def entries_inserted(execute, sql, params, many, context):
        """A posting's guarded accounts are locked by the database as its entries go in (pk order)."""
        result = execute(sql, params, many, context)
        if log is not None and re.search(r'INSERT INTO "?escrow_ledgerentry\b', sql):
            posted = LedgerTransaction.objects.order_by("-pk").values_list("pk", flat=True).first()
            guarded = LedgerEntry.objects.filter(transaction_id=posted, account__balance_minor__isnull=False)
            for pk in sorted(set(guarded.values_list("account_id", flat=True))):
                note(3, "ledger", pk)
        return result

    @contextmanager
    def recording():
        nonlocal log
        log = []
        try:
            with connection.execute_wrapper(entries_inserted):
                yield log
        finally:
            log = None

    return recording


def assert_in_order(taken: list[tuple[int, str, int]], label: str) -> None:
    """Each new lock is at the level of the last one or below it, and rows of one kind come in
    primary-key order; locking a row held already is free (it waits for nothing)."""
    held: set[tuple[str, int]] = set()
    level_now, last_of_kind = 0, {}
    for level, kind, pk in taken:
        if (kind, pk) in held:
            continue
        assert level >= level_now, f"{label}: {kind} {pk} (level {level}) after level {level_now}: {taken}"
        assert pk > last_of_kind.get(kind, 0), f"{label}: {kind} {pk} out of pk order: {taken}"
        held.add((kind, pk))
        level_now, last_of_kind[kind] = level, pk


def test_every_escrow_service_locks_in_the_one_order(recorder, stripe_fake, db):
    contract = make_contract(milestones=[("Design", 40_000), ("Build", 100_000)])
    design, build = contract.milestones.all()
    calls = {}

    def run(label, call):
        with recorder() as taken:
            result = call()
        assert taken, f"{label} locked nothing"
        assert_in_order(taken, label)
        calls[label] = list(taken)
        return result

    hold = milestone_hold(design)
    charge = run("charge_start", lambda: charge_start(hold=hold))
    paid = gateway.PaymentIntent(
        id=charge.payment_intent_id,
        status="succeeded",
        amount_minor=charge.amount_minor,
        currency=charge.currency,
        client_secret="",
        charge_id="ch_test_order",
    )
    run("charge_record_success", lambda: charge_record_success(charge=charge, intent=paid))
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.FUNDED
    usd = lambda minor: Money(minor, "USD")  # noqa: E731
    released = run("hold_release", lambda: hold_release(hold=hold, amount=usd(10_000)))
    refunded = run("hold_refund", lambda: hold_refund(hold=hold, amount=usd(5_000)))
    run("hold_split", lambda: hold_split(hold=hold, release=usd(5_000), refund=usd(5_000)))
    run("hold_freeze", lambda: hold_freeze(hold=hold, reason="A dispute"))
    run("hold_unfreeze", lambda: hold_unfreeze(hold=hold, reason="Settled"))
    transfer = Transfer.objects.get(settlement=released)
    run("transfer_record", lambda: transfer_record(transfer_id=transfer.pk, processor_id="tr_order"))
    refund = Refund.objects.get(settlement=refunded)
    run("refund_record", lambda: refund_record(refund_id=refund.pk, processor_id="re_order"))
    other = milestone_hold(build)
    fund(other)
    hold_release(hold=other)  # no payout account yet: its transfer waits, blocked
    payouts_ready(contract.freelancer)
    run("transfers_unblock_for", lambda: transfers_unblock_for(contract.freelancer_id))
    chargeback = gateway.Dispute(
        id="dp_order",
        charge_id="ch_test_order",
        payment_intent_id=charge.payment_intent_id,
        amount_minor=charge.amount_minor,
        currency="USD",
        reason="general",
        status="needs_response",
        withdrawn_minor=charge.amount_minor,
        fee_minor=1500,
    )
    run("chargeback_opened", lambda: chargeback_record(dispute=chargeback))
    lost = dataclasses.replace(chargeback, status="lost")
    run("chargeback_lost", lambda: chargeback_record(dispute=lost))

    # The hold comes first wherever a hold is involved; the sweep of blocked transfers takes no hold.
    for label, taken in calls.items():
        expected_first = "transfer" if label == "transfers_unblock_for" else "hold"
        assert taken[0][1] == expected_first, (label, taken)
    assert [kind for _, kind, _ in calls["charge_record_success"]][:2] == ["hold", "charge"]
    assert [kind for _, kind, _ in calls["transfer_record"]] == ["hold", "transfer", "ledger"]
    assert [kind for _, kind, _ in calls["refund_record"]] == ["hold", "refund", "ledger"]
    # A release touches two guarded accounts (the hold's and the payee's payable): both are locked.
    assert [kind for _, kind, _ in calls["hold_release"]] == ["hold", "ledger", "ledger"]
    # A lost chargeback refunds what the hold still holds (the hold's account and the payer's refunds
    # payable, in pk order), then takes it from refunds payable (held already: it waits for nothing).
    assert [kind for _, kind, _ in calls["chargeback_lost"]] == ["hold", "ledger", "ledger", "ledger"]
    assert Charge.objects.get(pk=charge.pk).status == Charge.Status.SUCCEEDED


def test_the_order_check_catches_a_wrong_order():
    """The checker itself: a charge before its hold, a hold after the ledger, accounts out of pk order."""
    for wrong in (
        [(2, "charge", 1), (1, "hold", 1)],
        [(1, "hold", 1), (3, "ledger", 5), (1, "hold", 2)],
        [(1, "hold", 1), (3, "ledger", 5), (3, "ledger", 4)],
    ):
        with pytest.raises(AssertionError):
            assert_in_order(wrong, "wrong")
    assert_in_order([(1, "hold", 1), (2, "charge", 3), (1, "hold", 1), (3, "ledger", 2)], "right")
