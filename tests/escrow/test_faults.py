"""Every call the project makes to Stripe, failing in every way the fake can fail it, through the real
services, pages and PostgreSQL: the person sees a clear answer (a 503 with a code, never a 500) or the
call's intent row simply stays, nothing is half-moved in the ledger, and ``escrow.retry_intents``
completes the call with the same idempotency key. When the processor made the object but its answer
never arrived (``timeout_after``) the retry gets that same object back: the fake ends with exactly one.

Faults (tests/support/fake_stripe.py): ``error`` (a 500, nothing done), ``timeout`` (no answer within
the gateway's 3 s, nothing done), ``timeout_after`` (done, answer too late), ``disconnect`` (the
connection dropped, nothing done). Celery is not eager here: a transfer or refund queued after commit
waits in the broker, and the test makes the worker's call itself (``transfer_send`` / ``refund_send``).
"""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from escrow import gateway, idempotency
from escrow.models import (
    Charge,
    ConnectedAccount,
    Customer,
    Hold,
    LedgerTransaction,
    Refund,
    Transfer,
)
from escrow.services.connect import connected_account_sync
from escrow.services.payouts import refund_send, transfer_send
from escrow.tasks import retry_intents
from marketplace.config.celery import app as celery_app
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from tests.escrow.money_world import assert_fake_matches_ledger, onboard, pay_in_browser
from tests.factories import make_contract

# Above the gateway's timeout (STRIPE_TIMEOUT_SECONDS = 3 under the stripe_fake fixture).
LATE = 4.5

CALLS = {
    "customer": ("POST", "/v1/customers"),
    "payment_intent": ("POST", "/v1/payment_intents"),
    "retrieve": ("GET", "/v1/payment_intents/*"),
    "transfer": ("POST", "/v1/transfers"),
    "refund": ("POST", "/v1/refunds"),
    "account": ("POST", "/v1/accounts"),
}


def _fault(fake, call: str, mode: str) -> None:
    method, path = CALLS[call]
    fake.inject_fault(method, path, mode, count=1, delay=LATE)


def _retry() -> dict[str, int]:
    done = retry_intents(older_than_seconds=0)
    assert done["failed"] == 0, done
    return done


def _logged_in(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _url(name: str, milestone: Milestone) -> str:
    return reverse(f"frontend:{name}", args=[milestone.contract_id, milestone.pk])


def _ledger(contract) -> list[tuple[str, str, int]]:
    """The contract's ledger postings: (transaction kind, account kind, amount), in order."""
    rows = LedgerTransaction.objects.filter(hold__transfer_group=f"contract-{contract.pk}").order_by("pk")
    return [(t.kind, e.account.kind, e.amount_minor) for t in rows for e in t.entries.order_by("pk")]


def _fake_objects(fake, path: str, contract) -> list[dict]:
    return [o for o in fake.list(path) if o.get("transfer_group") == f"contract-{contract.pk}"]


def _fake_refunds(fake, contract) -> list[dict]:
    charges = {c["id"] for c in _fake_objects(fake, "/v1/charges", contract)}
    return [r for r in fake.list("/v1/refunds") if r["charge"] in charges]


def _fund(fake, contract, milestone) -> Charge:
    """Fund a milestone as the page does, with no webhooks: intent, card, confirmation."""
    browser = _logged_in(contract.client)
    started = browser.post(_url("milestone_fund_intent", milestone))
    assert started.status_code == 200, started.content
    pay_in_browser(fake, started.json()["payment_intent"])
    confirmed = browser.post(
        _url("milestone_fund_confirm", milestone), {"payment_intent": started.json()["payment_intent"]}
    )
    assert confirmed.json()["status"] == "funded", confirmed.content
    return Charge.objects.get(hold__milestone=milestone)


def _payouts_ready(fake, user) -> None:
    """The freelancer onboards and comes back to the return page, which reads the account."""
    account = onboard(fake, user)
    assert connected_account_sync(account_id=account.account_id).can_receive


def _expect_unavailable(response) -> None:
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "processor_unavailable"


# --- funding: the payer's customer, the PaymentIntent, reading it back ---------------------------------


@pytest.mark.parametrize(
    ("call", "mode"),
    [
        ("customer", "error"),
        ("customer", "timeout_after"),
        ("payment_intent", "error"),
        ("payment_intent", "timeout_after"),
        ("payment_intent", "disconnect"),
    ],
)
def test_starting_a_payment_when_stripe_fails(stripe_fake, transactional_db, call, mode):
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    browser = _logged_in(contract.client)

    _fault(fake, call, mode)
    _expect_unavailable(browser.post(_url("milestone_fund_intent", milestone)))

    # The intent rows stay (with their keys: a new one after a 500, which Stripe keeps under the
    # old); no money has moved.
    hold = Hold.objects.get(milestone=milestone)
    charge = Charge.objects.get(hold=hold)
    assert (charge.status, charge.payment_intent_id) == (Charge.Status.CREATING, "")
    assert idempotency.base_of(charge.idempotency_key) == f"charge-hold-{hold.pk}"
    customer = Customer.objects.get(user=contract.client)
    assert idempotency.base_of(customer.idempotency_key) == f"customer-user-{contract.client_id}"
    assert bool(customer.customer_id) is (call == "payment_intent")
    assert hold.status == Hold.Status.PENDING
    assert _ledger(contract) == []
    made = mode == "timeout_after"  # the processor did it; its answer never arrived
    customers = [c for c in fake.list("/v1/customers") if c["email"] == contract.client.email]
    intents = _fake_objects(fake, "/v1/payment_intents", contract)
    assert len(customers) == (0 if call == "customer" and not made else 1)
    assert len(intents) == (1 if call == "payment_intent" and made else 0)

    done = _retry()
    assert done["charges"] >= 1

    # Exactly one customer and one PaymentIntent: the repeated call got the first one back.
    customers = [c for c in fake.list("/v1/customers") if c["email"] == contract.client.email]
    intents = _fake_objects(fake, "/v1/payment_intents", contract)
    assert [c["id"] for c in customers] == [Customer.objects.get(pk=customer.pk).customer_id]
    charge.refresh_from_db()
    assert [i["id"] for i in intents] == [charge.payment_intent_id]
    assert charge.status == Charge.Status.OPEN
    assert intents[0]["customer"] == customers[0]["id"]
    assert intents[0]["amount"] == 63_000

    # The page now hands out that PaymentIntent, and the card pays it.
    again = browser.post(_url("milestone_fund_intent", milestone))
    assert again.json()["payment_intent"] == charge.payment_intent_id
    pay_in_browser(fake, charge.payment_intent_id)
    confirmed = browser.post(
        _url("milestone_fund_confirm", milestone), {"payment_intent": charge.payment_intent_id}
    )
    assert confirmed.json()["status"] == "funded"
    assert len(_fake_objects(fake, "/v1/payment_intents", contract)) == 1
    assert_fake_matches_ledger(fake, contract)


@pytest.mark.parametrize("mode", ["error", "timeout_after"])
def test_confirming_a_payment_when_stripe_does_not_answer(stripe_fake, transactional_db, mode):
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    browser = _logged_in(contract.client)
    payment_intent = browser.post(_url("milestone_fund_intent", milestone)).json()["payment_intent"]
    pay_in_browser(fake, payment_intent)  # the card is charged; the page then asks the server

    _fault(fake, "retrieve", mode)
    confirm = browser.post(_url("milestone_fund_confirm", milestone), {"payment_intent": payment_intent})
    _expect_unavailable(confirm)

    charge = Charge.objects.get(hold__milestone=milestone)
    assert (charge.status, charge.payment_intent_id) == (Charge.Status.OPEN, payment_intent)
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert _ledger(contract) == []

    _retry()

    charge.refresh_from_db()
    milestone.refresh_from_db()
    assert charge.status == Charge.Status.SUCCEEDED
    assert milestone.status == Milestone.Status.FUNDED
    assert [i["id"] for i in _fake_objects(fake, "/v1/payment_intents", contract)] == [payment_intent]
    # The funding, and the fee Stripe kept of the charge (the platform's cost).
    assert [kind for kind, *_ in _ledger(contract)] == ["fund", "fund", "processor_fee", "processor_fee"]
    # The page's own confirmation, arriving late, finds it done.
    late = browser.post(_url("milestone_fund_confirm", milestone), {"payment_intent": payment_intent})
    assert late.json()["status"] == "funded"
    assert_fake_matches_ledger(fake, contract)


# --- money out: the transfer to the freelancer, the refund to the card ---------------------------------


@pytest.mark.parametrize("mode", ["error", "timeout", "timeout_after", "disconnect"])
def test_a_transfer_stripe_does_not_answer_is_sent_once_by_the_retry(stripe_fake, transactional_db, mode):
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    _payouts_ready(fake, contract.freelancer)
    _fund(fake, contract, milestone)
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    approved = _logged_in(contract.client).post(_url("milestone_approve", milestone))
    assert approved.status_code == 302
    transfer = Transfer.objects.get(settlement__hold__milestone=milestone)
    assert transfer.status == Transfer.Status.INTENDED
    released = _ledger(contract)

    _fault(fake, "transfer", mode)
    with pytest.raises(gateway.ProcessorUnavailable):  # the task retries it (with backoff)
        transfer_send(transfer.pk)

    transfer.refresh_from_db()
    assert (transfer.status, transfer.processor_id, transfer.attempts) == (Transfer.Status.INTENDED, "", 1)
    assert transfer.last_error
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.APPROVED
    assert _ledger(contract) == released  # released to the payable account, nothing transferred
    assert "transfer_out" not in {kind for kind, *_ in released}
    assert len(_fake_objects(fake, "/v1/transfers", contract)) == (1 if mode == "timeout_after" else 0)

    assert _retry()["transfers"] == 1

    transfer.refresh_from_db()
    milestone.refresh_from_db()
    transfers = _fake_objects(fake, "/v1/transfers", contract)
    assert [t["id"] for t in transfers] == [transfer.processor_id]
    assert transfers[0]["amount"] == transfer.amount_minor == 54_000
    assert transfer.status == Transfer.Status.SENT
    assert milestone.status == Milestone.Status.RELEASED
    assert _retry()["transfers"] == 0  # nothing left to repeat
    assert len(_fake_objects(fake, "/v1/transfers", contract)) == 1
    assert_fake_matches_ledger(fake, contract)


@pytest.mark.parametrize("mode", ["error", "timeout_after"])
def test_a_refund_stripe_does_not_answer_is_made_once_by_the_retry(stripe_fake, transactional_db, mode):
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    _fund(fake, contract, milestone)
    contract_services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    assert (
        contract_services.milestones_due(now=timezone.now() + timedelta(days=3, minutes=1))["refunded"] == 1
    )
    refund = Refund.objects.get(settlement__hold__milestone=milestone)
    refunded = _ledger(contract)

    _fault(fake, "refund", mode)
    with pytest.raises(gateway.ProcessorUnavailable):
        refund_send(refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.processor_id, refund.attempts) == (Refund.Status.INTENDED, "", 1)
    assert _ledger(contract) == refunded
    assert "refund_out" not in {kind for kind, *_ in refunded}
    assert len(_fake_refunds(fake, contract)) == (1 if mode == "timeout_after" else 0)

    assert _retry()["refunds"] == 1

    refund.refresh_from_db()
    refunds = _fake_refunds(fake, contract)
    assert [r["id"] for r in refunds] == [refund.processor_id]
    assert refunds[0]["amount"] == refund.amount_minor == 63_000  # the amount and its client fee
    assert refund.status == Refund.Status.SENT
    assert _retry()["refunds"] == 0
    assert_fake_matches_ledger(fake, contract)


# --- the freelancer's payout account --------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["error", "timeout_after"])
def test_setting_up_payouts_when_stripe_fails(stripe_fake, transactional_db, mode):
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    freelancer = contract.freelancer
    TOTP.activate(freelancer, generate_totp_secret())  # payout settings need two-factor first
    browser = _logged_in(freelancer)

    _fault(fake, "account", mode)
    page = browser.post(reverse("frontend:payouts_start"))
    assert page.status_code == 503
    assert "did not answer" in page.content.decode()

    account = ConnectedAccount.objects.get(user=freelancer)
    assert account.account_id == ""
    assert idempotency.base_of(account.idempotency_key) == f"account-user-{freelancer.pk}"
    accounts = [a for a in fake.list("/v1/accounts") if a["email"] == freelancer.email]
    assert len(accounts) == (1 if mode == "timeout_after" else 0)

    assert _retry()["accounts"] == 1

    account.refresh_from_db()
    accounts = [a for a in fake.list("/v1/accounts") if a["email"] == freelancer.email]
    assert [a["id"] for a in accounts] == [account.account_id]
    # The next visit goes straight to onboarding on that account; finishing it enables payouts.
    started = browser.post(reverse("frontend:payouts_start"))
    assert started.status_code == 302
    fake.complete_onboarding(account.account_id)
    assert browser.get(reverse("frontend:payouts_return")).status_code == 302
    account.refresh_from_db()
    assert account.can_receive
    assert len([a for a in fake.list("/v1/accounts") if a["email"] == freelancer.email]) == 1
    assert_fake_matches_ledger(fake, contract)


# --- the approval page while Stripe is down ------------------------------------------------------------


def test_approving_while_stripe_is_down_answers_the_page_and_the_transfer_waits(
    stripe_fake, transactional_db
):
    """With tasks run at once (as in the embedded default), the transfer task fails every retry inside
    the request: the page still answers with its redirect (no 500), the transfer stays intended."""
    fake = stripe_fake
    contract = make_contract(milestones=(60_000,))
    milestone = contract.milestones.get()
    _payouts_ready(fake, contract.freelancer)
    _fund(fake, contract, milestone)
    contract_services.milestone_submit(acting_user=contract.freelancer, milestone=milestone, message="Done.")
    fake.inject_fault("POST", "/v1/transfers", "error", count=20)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        approved = _logged_in(contract.client).post(_url("milestone_approve", milestone))
    finally:
        celery_app.conf.task_always_eager = eager
    assert approved.status_code == 302
    transfer = Transfer.objects.get(settlement__hold__milestone=milestone)
    assert transfer.status == Transfer.Status.INTENDED
    assert transfer.attempts >= 1
    assert _fake_objects(fake, "/v1/transfers", contract) == []

    fake.clear_faults()
    assert _retry()["transfers"] == 1
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.RELEASED
    assert len(_fake_objects(fake, "/v1/transfers", contract)) == 1
    assert_fake_matches_ledger(fake, contract)
