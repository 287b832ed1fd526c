"""Checks in the money code that no test used to reach directly, so removing them kept every test green:
the ledger never takes an account that must not go negative below zero; ``hold_fund`` takes only a paid
charge of that hold, of its amount and currency; an event delivered twice is handled once (counted at the
handler, not inferred from a state the handlers' own idempotency would keep the same anyway).
Each test also runs the allowed move, so a refusal is known to come from the check."""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escrow.models import (
    Charge,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Settlement,
    Transfer,
    WebhookEvent,
)
from escrow.services import webhooks
from escrow.services.connect import connected_account_for
from escrow.services.holds import hold_fund
from escrow.services.ledger import account_balance, ledger_account, ledger_post
from escrow.tasks import retry_intents
from marketplace.config.celery import app as celery_app
from marketplace.core.exceptions import Conflict
from tests.escrow.builders import fund, milestone_hold, release
from tests.escrow.money_world import pay_in_browser
from tests.factories import make_contract
from tests.support.concurrently import at_once
from tests.support.fake_stripe import sign_payload

Kind = LedgerAccount.Kind
SECRET = "whsec_test_money_checks"


def _pending_hold() -> Hold:
    contract = make_contract(milestones=[("Only", 60_000)])
    return milestone_hold(contract.milestones.get())


def _rows() -> tuple[int, int, int]:
    return LedgerTransaction.objects.count(), LedgerEntry.objects.count(), Settlement.objects.count()


# --- the ledger never goes below zero ----------------------------------------------------------------


@pytest.mark.parametrize("split_in_lines", [1, 2])
def test_the_ledger_refuses_to_take_more_than_a_held_account_holds(db, split_in_lines):
    """A funded hold holds 63,000 (amount 60,000 + 5 % client fee). Debiting 63,001 from it is refused,
    also when the debit comes in two lines that each fit; 63,000 is taken."""
    hold = _pending_hold()
    fund(hold)
    held = ledger_account(Kind.ESCROW_HELD, "USD", hold_id=hold.pk)
    payable = ledger_account(Kind.FREELANCER_PAYABLE, "USD", user_id=hold.payee_id)
    assert account_balance(held) == 63_000
    too_much = 63_001
    debits = [(held, -too_much)] if split_in_lines == 1 else [(held, -40_000), (held, -(too_much - 40_000))]
    before = _rows()

    with pytest.raises(Conflict) as refused, transaction.atomic():
        ledger_post(kind="release", currency="USD", lines=[*debits, (payable, too_much)], hold=hold)

    assert (refused.value.code, refused.value.status) == ("insufficient_balance", 409)
    assert _rows() == before
    assert account_balance(held) == 63_000
    with transaction.atomic():  # all of it is fine
        ledger_post(kind="release", currency="USD", lines=[(held, -63_000), (payable, 63_000)], hold=hold)
    assert account_balance(held) == 0
    with pytest.raises(Conflict), transaction.atomic():  # and then not one unit more
        ledger_post(kind="release", currency="USD", lines=[(held, -1), (payable, 1)], hold=hold)


def test_the_ledger_refuses_to_pay_out_more_than_is_payable(db):
    hold = _pending_hold()
    fund(hold)
    payable = ledger_account(Kind.FREELANCER_PAYABLE, "USD", user_id=hold.payee_id)
    clearing = ledger_account(Kind.PROCESSOR_CLEARING, "USD")
    with pytest.raises(Conflict) as refused, transaction.atomic():
        ledger_post(kind="transfer_out", currency="USD", lines=[(payable, -1), (clearing, 1)])
    assert refused.value.code == "insufficient_balance"
    assert account_balance(payable) == 0


# --- hold_fund takes only a matching, paid charge of its own hold ------------------------------------


def _charge(hold: Hold, **fields) -> Charge:
    values = {
        "hold": hold,
        "idempotency_key": f"charge-check-{hold.pk}-{fields.get('status', 'paid')}",
        "status": Charge.Status.SUCCEEDED,
        "amount_minor": hold.charge_amount_minor,
        "currency": hold.currency,
        "payment_intent_id": f"pi_check_{hold.pk}",
        "charge_id": f"ch_check_{hold.pk}",
        "succeeded_at": timezone.now(),
    }
    return Charge.objects.create(**{**values, **fields})


@pytest.mark.parametrize(
    ("wrong", "code"),
    [
        ("one unit more", "amount_mismatch"),
        ("one unit less", "amount_mismatch"),
        ("another currency", "amount_mismatch"),
        ("another hold's charge", "charge_of_another_hold"),
        ("not paid", "charge_not_paid"),
    ],
)
def test_hold_fund_refuses_a_charge_that_does_not_match_the_hold(db, wrong, code):
    hold = _pending_hold()
    if wrong == "another hold's charge":
        other = _pending_hold()  # the same amount and fees, so only the hold differs
        assert other.charge_amount_minor == hold.charge_amount_minor
        charge = _charge(other)
    else:
        charge = _charge(
            hold,
            **{
                "one unit more": {"amount_minor": hold.charge_amount_minor + 1},
                "one unit less": {"amount_minor": hold.charge_amount_minor - 1},
                "another currency": {"currency": "EUR"},
                "not paid": {"status": Charge.Status.OPEN, "succeeded_at": None},
            }[wrong],
        )
    before = _rows()

    with pytest.raises(Conflict) as refused, transaction.atomic():
        hold_fund(hold=Hold.objects.get(pk=hold.pk), charge=charge)

    assert (refused.value.code, refused.value.status) == (code, 409)
    assert _rows() == before
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.PENDING
    # The hold's own paid charge of its amount funds it (so the refusal was the mismatch's).
    with transaction.atomic():
        if wrong != "another hold's charge":
            Charge.objects.filter(pk=charge.pk).delete()
        right = _charge(hold, idempotency_key=f"charge-right-{hold.pk}", payment_intent_id=f"pi_ok_{hold.pk}")
        hold_fund(hold=Hold.objects.get(pk=hold.pk), charge=right)
    assert Hold.objects.get(pk=hold.pk).status == Hold.Status.FUNDED


# --- an event delivered twice is handled once --------------------------------------------------------


@pytest.fixture
def eager_tasks():
    """The webhook's task runs at once after commit, as in the embedded default."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def handled(monkeypatch):
    """The processor ids the ``transfer.created`` handler was called with (the real handler runs)."""
    calls: list[str] = []
    real = webhooks.HANDLERS["transfer.created"]

    def counted(obj):
        calls.append(obj.id)
        return real(obj)

    monkeypatch.setitem(webhooks.HANDLERS, "transfer.created", counted)
    return calls


def _waiting_transfer(fake) -> Transfer:
    """A released transfer waiting for its payee's payouts, whose ``transfer.created`` Stripe sends
    before our own call's answer: the transfer exists on the fake (the handler reads it back there)."""
    hold = _pending_hold()
    fund(hold)
    account = connected_account_for(hold.payee, country="US")  # not onboarded here: the transfer waits
    transfer = release(hold, sent=False)
    fake.complete_onboarding(account.account_id)
    customer = fake.post("/v1/customers", email="balance@example.com")  # a payment to transfer from
    paid = fake.post(
        "/v1/payment_intents", amount=transfer.amount_minor, currency="usd", customer=customer["id"]
    )
    pay_in_browser(fake, paid["id"])
    charge_id = fake.get(f"/v1/payment_intents/{paid['id']}")["latest_charge"]
    made = fake.post(
        "/v1/transfers",
        source_transaction=charge_id,
        amount=transfer.amount_minor,
        currency="usd",
        destination=account.account_id,
        transfer_group=hold.transfer_group,
        metadata={"transfer_id": transfer.pk},
    )
    transfer.stripe_id = made["id"]
    return transfer


def _transfer_created(transfer: Transfer) -> str:
    """Stripe's ``transfer.created`` for our waiting transfer, as a payload."""
    return json.dumps(
        {
            "id": f"evt_transfer_{transfer.pk}",
            "object": "event",
            "type": "transfer.created",
            "data": {
                "object": {
                    "id": transfer.stripe_id,
                    "object": "transfer",
                    "amount": transfer.amount_minor,
                    "metadata": {"transfer_id": str(transfer.pk)},
                }
            },
        }
    )


def _deliver(client, payload: str):
    return client.post(
        reverse("escrow:stripe_webhook"),
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign_payload(payload, SECRET),
    )


def _paid_out_once(transfer: Transfer) -> None:
    stripe_id = transfer.stripe_id
    transfer.refresh_from_db()
    assert (transfer.status, transfer.processor_id) == (Transfer.Status.SENT, stripe_id)
    assert LedgerTransaction.objects.filter(kind="transfer_out", settlement=transfer.settlement).count() == 1
    row = WebhookEvent.objects.get()
    assert row.processed_at is not None
    assert (row.attempts, row.last_error) == (1, "")


def test_an_event_delivered_twice_is_handled_once(
    client, settings, eager_tasks, handled, django_capture_on_commit_callbacks, db, stripe_fake
):
    """Stripe delivers again when our answer was lost; the stored event is also met by the retry
    sweep and by a task the broker hands out again (acks late). The handler runs once."""
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    transfer = _waiting_transfer(stripe_fake)
    payload = _transfer_created(transfer)

    answers = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            answers.append(_deliver(client, payload).json())
    assert [answer["new"] for answer in answers] == [True, False]
    assert handled == [transfer.stripe_id]  # the first delivery's task handled it

    row = WebhookEvent.objects.get()
    webhooks.webhook_process(row_id=row.pk)  # the task again
    retry_intents(older_than_seconds=0)  # the sweep

    assert handled == [transfer.stripe_id]
    _paid_out_once(transfer)


def test_an_event_delivered_twice_at_once_is_handled_once(
    settings, eager_tasks, handled, transactional_db, stripe_fake
):
    """Two deliveries of one event at the same moment, each on its own connection: one is stored
    and handled, the other is told it was not new."""
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    for round_ in range(4):
        handled.clear()
        transfer = _waiting_transfer(stripe_fake)
        payload = _transfer_created(transfer)

        def deliver(payload=payload):
            return _deliver(Client(), payload)

        first, second = at_once(deliver, deliver)

        label = f"round {round_}"
        assert sorted(r.json()["new"] for r in (first, second)) == [False, True], label
        assert handled == [transfer.stripe_id], label
        _paid_out_once(transfer)
        WebhookEvent.objects.all().delete()
