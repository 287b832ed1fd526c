"""Stripe's events are hints, stored once by id: replayed, duplicated and out of order, they change nothing
that is already true, and on their own (the page never confirming) they reach the same end as in order.

The fake's webhook delivery is paused, so nothing arrives by itself; the tests post the fake's own
recorded events to the live server's ``/stripe/webhook/``, signed with the registered secret, and the
endpoint's task runs at once in the server thread (eager Celery), against real PostgreSQL.
"""

import random
from collections import Counter
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db.models import Sum
from django.utils import timezone

from escrow import gateway
from escrow.models import (
    Charge,
    ConnectedAccount,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Refund,
    Settlement,
    Transfer,
    WebhookEvent,
)
from escrow.services.connect import connected_account_for
from escrow.services.payouts import refund_send, transfer_send
from marketplace.accounts.services.payouts import payout_account_refresh
from marketplace.config.celery import app as celery_app
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from marketplace.core.models import StatusChange
from messaging.models import Notification
from tests.escrow.money_world import assert_fake_matches_ledger, pay_in_browser
from tests.factories import make_contract

SEED = 20_261_204
FAKE_OBJECTS = (
    "/v1/customers",
    "/v1/payment_intents",
    "/v1/charges",
    "/v1/transfers",
    "/v1/refunds",
    "/v1/accounts",
)


@pytest.fixture
def endpoint(stripe_fake, live_server, settings):
    """Our webhook endpoint registered on the fake, with the fake's own delivery paused."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    url = f"{live_server.url}/stripe/webhook/"
    settings.STRIPE_WEBHOOK_SECRET = stripe_fake.register_webhook(url)
    stripe_fake.pause_webhooks()
    yield SimpleNamespace(fake=stripe_fake, url=url, secret=settings.STRIPE_WEBHOOK_SECRET)
    celery_app.conf.task_always_eager = eager


@contextmanager
def tasks_wait_in_the_broker():
    """The worker is slow: a task queued after commit waits in the broker (the test runs its call)."""
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = True


def post(endpoint, event: dict) -> bool:
    """Deliver one event as Stripe does; whether it was new to us."""
    response = endpoint.fake.deliver(event, endpoint.url, endpoint.secret)
    assert response.status_code == 200, response.text
    assert response.json()["received"] == event["id"]
    return response.json()["new"]


def snapshot(fake) -> dict:
    """Everything money-shaped, to the row: the ledger, every balance, the states, the fake's objects.
    (A connected account's ``synced_at`` — when we last read it — is left out: reading is allowed.)"""
    balances = LedgerAccount.objects.annotate(balance=Sum("entries__amount_minor")).order_by("key")
    return {
        "entries": list(
            LedgerEntry.objects.order_by("pk").values_list(
                "pk", "transaction_id", "account__key", "amount_minor"
            )
        ),
        "transactions": list(
            LedgerTransaction.objects.order_by("pk").values_list(
                "pk", "kind", "currency", "hold_id", "settlement_id", "external_id"
            )
        ),
        "balances": list(balances.values_list("key", "balance")),
        "holds": list(Hold.objects.order_by("pk").values_list("pk", "status", "funded_at", "settled_at")),
        "settlements": list(
            Settlement.objects.order_by("pk").values_list(
                "pk", "hold_id", "kind", "principal_minor", "client_fee_minor", "freelancer_fee_minor"
            )
        ),
        "milestones": list(
            Milestone.objects.order_by("pk").values_list(
                "pk", "status", "hold_id", "funded_at", "approved_at", "released_at", "refund_due_at"
            )
        ),
        "charges": list(
            Charge.objects.order_by("pk").values_list(
                "pk", "status", "payment_intent_id", "charge_id", "last_error_code", "succeeded_at"
            )
        ),
        "transfers": list(
            Transfer.objects.order_by("pk").values_list(
                "pk", "status", "processor_id", "amount_minor", "attempts", "last_error", "sent_at"
            )
        ),
        "refunds": list(
            Refund.objects.order_by("pk").values_list(
                "pk", "status", "processor_id", "amount_minor", "attempts", "last_error", "sent_at"
            )
        ),
        "accounts": list(
            ConnectedAccount.objects.order_by("pk").values_list(
                "pk", "account_id", "details_submitted", "payouts_enabled", "transfers_active"
            )
        ),
        "status_changes": list(
            StatusChange.objects.order_by("pk").values_list("pk", "target_type", "target_id", "to_status")
        ),
        "notifications": list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "kind")),
        "fake": {path: fake.list(path) for path in FAKE_OBJECTS},
    }


# --- 1. replays of everything, after the pages did the work ---------------------------------------------


def test_replaying_every_event_ten_times_in_any_order_changes_nothing(endpoint, transactional_db):
    fake = endpoint.fake
    contract = make_contract(milestones=(100_000, 50_000))
    first, second = contract.milestones.all()
    for milestone in (first, second):  # the page asks for the PaymentIntent, the card pays, the page confirms
        charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
        pay_in_browser(fake, charge.payment_intent_id)
        contract_services.milestone_fund_confirm(
            acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
        )
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=first, message="Done.")
    contract_services.milestone_approve(acting_user=contract.client, milestone=first)  # waits for payouts
    account = connected_account_for(contract.freelancer, country="US")
    fake.complete_onboarding(account.account_id)
    payout_account_refresh(acting_user=contract.freelancer)  # the return page: the transfer goes out
    contract_services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    assert (
        contract_services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))["refunded"] == 1
    )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Milestone.Status.RELEASED, Milestone.Status.REFUNDED)
    assert not WebhookEvent.objects.exists()
    assert fake.webhook_deliveries() == []  # nothing arrived by itself
    assert_fake_matches_ledger(fake, contract)
    before = snapshot(fake)

    events = fake.events()  # newest first
    types = Counter(event["type"] for event in events)
    for expected in ("payment_intent.succeeded", "account.updated", "transfer.created", "refund.created"):
        assert types[expected] >= 1, types
    rng = random.Random(SEED)  # noqa: S311 — a fixed, repeatable order, not a secret
    rounds = [events, events[::-1]] + [rng.sample(events, len(events)) for _ in range(8)]
    new = Counter()
    for order in rounds:
        for event in order:
            new[event["id"]] += post(endpoint, event)

    assert new == Counter({event["id"]: 1 for event in events})  # each one new once, then known
    assert sorted(WebhookEvent.objects.values_list("event_id", flat=True)) == sorted(e["id"] for e in events)
    assert not WebhookEvent.objects.filter(processed_at=None).exists()
    assert not WebhookEvent.objects.exclude(last_error="").exists()
    assert snapshot(fake) == before
    assert_fake_matches_ledger(fake, contract)


# --- 2. the page never confirms: events alone, out of order, reach the in-order end ---------------------


def _in_order(endpoint, seen: set[str]) -> None:
    """Stripe's own delivery, oldest first."""
    endpoint.fake.resume_webhooks()
    endpoint.fake.flush_webhooks()
    endpoint.fake.pause_webhooks()


def _out_of_order(endpoint, seen: set[str]) -> None:
    """Every event since the last time, twice: newest first, then shuffled."""
    fresh = [event for event in endpoint.fake.events() if event["id"] not in seen]
    assert fresh
    shuffled = random.Random(SEED).sample(fresh, len(fresh))  # noqa: S311 — repeatable, not a secret
    for event in fresh + shuffled:
        post(endpoint, event)
    seen.update(event["id"] for event in fresh)


def _webhooks_only(endpoint, deliver) -> object:
    """Fund two milestones (the browser closes after paying), onboard the freelancer (who never comes
    back to the return page), approve one and cancel for the other, with Stripe's answers to the
    transfer and the refund lost (timeout_after): only the events can finish any of it."""
    fake = endpoint.fake
    seen = {event["id"] for event in fake.events()}
    contract = make_contract(milestones=(100_000, 50_000))
    first, second = contract.milestones.all()
    for milestone in (first, second):
        charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
        pay_in_browser(fake, charge.payment_intent_id)
    account = connected_account_for(contract.freelancer, country="US")
    fake.complete_onboarding(account.account_id)
    assert not Milestone.objects.filter(contract=contract, status=Milestone.Status.FUNDED).exists()

    deliver(endpoint, seen)  # out of order: account.updated comes before payment_intent.succeeded
    assert Milestone.objects.filter(contract=contract, status=Milestone.Status.FUNDED).count() == 2
    assert ConnectedAccount.objects.get(pk=account.pk).can_receive

    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=first, message="Done.")
    with tasks_wait_in_the_broker():
        contract_services.milestone_approve(acting_user=contract.client, milestone=first)
    transfer = Transfer.objects.get(settlement__hold__milestone=first)
    fake.inject_fault("POST", "/v1/transfers", "timeout_after", delay=4.5)
    with pytest.raises(gateway.ProcessorUnavailable):
        transfer_send(transfer.pk)  # the worker's call: Stripe made the transfer, its answer was lost
    assert Transfer.objects.get(pk=transfer.pk).status == Transfer.Status.INTENDED

    deliver(endpoint, seen)  # transfer.created (twice, out of order) records it by its metadata
    first.refresh_from_db()
    assert first.status == Milestone.Status.RELEASED

    contract_services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    with tasks_wait_in_the_broker():
        assert (
            contract_services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))["refunded"]
            == 1
        )
    refund = Refund.objects.get(settlement__hold__milestone=second)
    fake.inject_fault("POST", "/v1/refunds", "timeout_after", delay=4.5)
    with pytest.raises(gateway.ProcessorUnavailable):
        refund_send(refund.pk)

    deliver(endpoint, seen)
    second.refresh_from_db()
    assert second.status == Milestone.Status.REFUNDED
    assert not WebhookEvent.objects.filter(processed_at=None).exists()
    assert not WebhookEvent.objects.exclude(last_error="").exists()
    return contract


def _outcome(fake, contract) -> dict:
    """A contract's end state with its ids taken out, so two runs can be compared."""
    group = f"contract-{contract.pk}"
    milestones = list(contract.milestones.order_by("pk"))
    holds = [Hold.objects.get(pk=m.hold_id) for m in milestones]
    index = {hold.pk: n for n, hold in enumerate(holds)}
    roles = {contract.client_id: "client", contract.freelancer_id: "freelancer", None: "platform"}

    def owner(account: LedgerAccount) -> str:
        return f"hold {index[account.hold_id]}" if account.hold_id else roles[account.user_id]

    entries = LedgerEntry.objects.filter(transaction__hold__in=holds).select_related("transaction", "account")
    stepped = {"escrow.hold": index, "contracts.milestone": {m.pk: n for n, m in enumerate(milestones)}}
    changes = StatusChange.objects.filter(target_type__in=stepped).order_by("pk")
    charges = {c["id"]: c for c in fake.list("/v1/charges") if c["transfer_group"] == group}
    return {
        "milestones": [
            (m.status, bool(m.funded_at), bool(m.approved_at), bool(m.released_at)) for m in milestones
        ],
        "holds": [(h.status, h.amount_minor, h.client_fee_minor, h.freelancer_fee_minor) for h in holds],
        "charges": [
            (c.status, c.amount_minor, c.card_label, bool(c.charge_id))
            for c in Charge.objects.filter(hold__in=holds).order_by("hold_id")
        ],
        "settlements": [
            (index[s.hold_id], s.kind, s.principal_minor, s.client_fee_minor, s.freelancer_fee_minor)
            for s in Settlement.objects.filter(hold__in=holds).order_by("pk")
        ],
        "transfers": [
            (t.status, t.amount_minor, bool(t.processor_id))
            for t in Transfer.objects.filter(settlement__hold__in=holds).order_by("pk")
        ],
        "refunds": [
            (r.status, r.amount_minor, bool(r.processor_id))
            for r in Refund.objects.filter(settlement__hold__in=holds).order_by("pk")
        ],
        "ledger": sorted(
            (t.kind, index[t.hold_id], e.account.kind, owner(e.account), e.amount_minor)
            for e in entries
            for t in [e.transaction]
        ),
        "status_changes": sorted(
            (c.target_type, stepped[c.target_type][c.target_id], c.from_status, c.to_status)
            for c in changes
            if c.target_id in stepped[c.target_type]
        ),
        "notifications": sorted(
            Counter(
                (roles[n.recipient_id], n.kind)
                for n in Notification.objects.filter(recipient__in=[contract.client, contract.freelancer])
            ).items()
        ),
        "account": ConnectedAccount.objects.filter(user=contract.freelancer)
        .values_list("details_submitted", "payouts_enabled", "transfers_active")
        .get(),
        "fake": {
            "payment_intents": sorted(
                (pi["status"], pi["amount"], pi["amount_received"])
                for pi in fake.list("/v1/payment_intents")
                if pi["transfer_group"] == group
            ),
            "charges": sorted((c["amount"], c["amount_refunded"]) for c in charges.values()),
            "transfers": sorted(
                (t["amount"], t["amount_reversed"])
                for t in fake.list("/v1/transfers")
                if t["transfer_group"] == group
            ),
            "refunds": sorted(
                (r["amount"], r["status"]) for r in fake.list("/v1/refunds") if r["charge"] in charges
            ),
        },
    }


def test_events_alone_out_of_order_reach_the_same_end_as_in_order(endpoint, transactional_db):
    fake = endpoint.fake
    in_order = _webhooks_only(endpoint, _in_order)
    assert_fake_matches_ledger(fake, in_order)  # (its platform accounts are still this contract's alone)
    expected = _outcome(fake, in_order)
    assert expected["milestones"] == [("released", True, True, True), ("refunded", True, False, False)]
    assert expected["transfers"] == [("sent", 90_000, True)]
    assert expected["refunds"] == [("sent", 52_500, True)]

    out_of_order = _webhooks_only(endpoint, _out_of_order)

    assert _outcome(fake, out_of_order) == expected
    delivered = Counter(WebhookEvent.objects.values_list("type", flat=True))
    assert delivered["payment_intent.succeeded"] == 4  # stored once per event id, whatever the deliveries


# --- 3. a late account.updated ---------------------------------------------------------------------------


def test_a_late_account_update_never_undoes_a_newer_one(endpoint, transactional_db):
    """Payouts on, off (Stripe wanted more details), on again: the newest event, delivered first, sends
    the waiting transfer; the older ones arriving after it change nothing, because each event is only a
    hint to read the account as Stripe has it now. Then Stripe turns payouts off for real, and a late
    "payouts on" does not turn them back on."""
    fake = endpoint.fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    contract_services.milestone_approve(acting_user=contract.client, milestone=milestone)
    transfer = Transfer.objects.get(settlement__hold__milestone=milestone)
    assert transfer.status == Transfer.Status.BLOCKED  # no payout account yet
    account = connected_account_for(contract.freelancer, country="US")
    fake.complete_onboarding(account.account_id)
    fake.disable_payouts(account.account_id)
    fake.http.post(f"/_fake/accounts/{account.account_id}/enable_payouts").raise_for_status()
    newest, off, oldest = fake.events("account.updated")
    assert [e["data"]["object"]["payouts_enabled"] for e in (newest, off, oldest)] == [True, False, True]

    post(endpoint, newest)
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.SENT
    post(endpoint, off)  # late: payouts were off once, they are not now
    account.refresh_from_db()
    assert account.can_receive

    fake.disable_payouts(account.account_id)
    post(endpoint, fake.events("account.updated")[0])
    account.refresh_from_db()
    assert not account.can_receive
    post(endpoint, oldest)  # late: payouts were on once, they are not now
    account.refresh_from_db()
    assert not account.can_receive

    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert [t["amount"] for t in fake.list("/v1/transfers")] == [54_000]  # one transfer, whatever came late
    assert not WebhookEvent.objects.filter(processed_at=None).exists()
    assert_fake_matches_ledger(fake, contract)


# --- 4. events we do not use ---------------------------------------------------------------------------


def test_an_event_of_a_type_we_do_not_use_is_stored_and_marked_processed_changing_nothing(
    endpoint, transactional_db
):
    fake = endpoint.fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    charge = contract_services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    pay_in_browser(fake, charge.payment_intent_id)
    contract_services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )
    # A payment of another integration on the same Stripe account: a type we use, an object we do not.
    foreign = fake.post(
        "/v1/payment_intents",
        amount=63_000,
        currency="usd",
        payment_method="pm_card_visa",
        confirm=True,
        payment_method_types=["card"],
    )
    before = snapshot(fake)
    unknown = {
        "id": "evt_test_unknown_type_1",
        "object": "event",
        "api_version": "2024-06-20",
        "created": int(timezone.now().timestamp()),
        "livemode": False,
        "pending_webhooks": 1,
        "type": "issuing_cardholder.created",
        "data": {"object": {"id": "ich_test_1", "object": "issuing.cardholder", "name": "Nobody"}},
    }
    succeeded = fake.events("payment_intent.succeeded")
    theirs = next(e for e in succeeded if e["data"]["object"]["id"] == foreign["id"])

    assert post(endpoint, unknown) is True
    assert post(endpoint, theirs) is True
    assert post(endpoint, unknown) is False  # and once only

    stored = WebhookEvent.objects.get(event_id=unknown["id"])
    assert stored.type == "issuing_cardholder.created"
    assert stored.payload["data"]["object"]["id"] == "ich_test_1"
    assert stored.processed_at is not None
    assert (stored.attempts, stored.last_error) == (1, "")
    assert WebhookEvent.objects.get(event_id=theirs["id"]).processed_at is not None
    assert WebhookEvent.objects.count() == 2
    assert snapshot(fake) == before
    assert_fake_matches_ledger(fake, contract, foreign=(foreign["id"],))  # the reconciliation reports it
