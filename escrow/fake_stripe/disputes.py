"""Disputes (chargebacks) on charges, as Stripe reports them.

A cardholder's bank opens a dispute; the fake has no bank, so fake-only control endpoints play it:

- ``POST /_fake/disputes`` (``charge`` or ``payment_intent``; ``amount``, default what is left
  unrefunded; ``reason``, default ``general``; ``status``: ``needs_response``, the default, or
  ``warning_needs_response`` for an inquiry);
- ``POST /_fake/disputes/{id}`` (``status``: a new open status, e.g. ``under_review``);
- ``POST /_fake/disputes/{id}/close`` (``outcome``: ``won`` or ``lost``).

As on Stripe, a chargeback (any open status but the ``warning_`` ones of an inquiry) takes the
disputed amount plus the dispute fee out of the platform balance at once — a balance transaction
listed in the dispute's ``balance_transactions`` — and a won one brings both back with another.
Events: ``charge.dispute.created``, ``.updated``, ``.funds_withdrawn``, ``.funds_reinstated``,
``.closed``. The API side: ``GET /v1/disputes/{id}``, ``GET /v1/disputes`` and
``POST /v1/disputes/{id}/close`` (the merchant accepts the dispute: lost).
"""

from escrow.fake_stripe import forms
from escrow.fake_stripe.charges import balance_transaction
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, changed, now, page, render

# Stripe's dispute fee is USD 15.00 (in the fake: 1500 minor units in any currency).
DISPUTE_FEE = 1500
REASONS = (
    "bank_cannot_process",
    "check_returned",
    "credit_not_processed",
    "customer_initiated",
    "debit_not_authorized",
    "duplicate",
    "fraudulent",
    "general",
    "incorrect_account_details",
    "insufficient_funds",
    "product_not_received",
    "product_unacceptable",
    "subscription_canceled",
    "unrecognized",
)
OPENING_STATUSES = ("warning_needs_response", "needs_response")
OPEN_STATUSES = ("warning_needs_response", "warning_under_review", "needs_response", "under_review")
EVIDENCE_DAYS = 7


def _adjustment(store: Store, dispute: dict, sign: int, category: str) -> None:
    """The balance transaction that takes (``sign`` -1) or brings back (+1) the amount and fee."""
    txn = balance_transaction(
        store, sign * dispute["amount"], dispute["currency"], "adjustment", dispute["id"], -sign * DISPUTE_FEE
    )
    txn["reporting_category"] = category
    txn["description"] = f"Chargeback {'withdrawal' if sign < 0 else 'reversal'} for {dispute['charge']}"
    for detail in txn["fee_details"]:
        detail["description"] = "Dispute fee"
    dispute["balance_transactions"].append(dict(txn))


def _withdraw_if_chargeback(store: Store, dispute: dict, call: Call) -> None:
    if dispute["status"].startswith("warning_") or dispute["balance_transactions"]:
        return
    _adjustment(store, dispute, -1, "dispute")
    dispute["is_charge_refundable"] = False
    store.emit("charge.dispute.funds_withdrawn", dispute, call)


def _charge_of(store: Store, params: dict) -> dict:
    charge_id = forms.text(params, "charge")
    if not charge_id:
        pi_id = forms.text(params, "payment_intent")
        if not pi_id:
            raise invalid("One of charge or payment_intent is required.")
        pi = store.require(pi_id, "payment_intent", label="payment_intent", param="payment_intent")
        charge_id = pi["latest_charge"]
    charge = store.require(charge_id, "charge", param="charge")
    if charge["status"] != "succeeded":
        raise invalid(f"Charge {charge['id']} was not paid: it cannot be disputed.", param="charge")
    if charge["disputed"]:
        raise invalid(f"Charge {charge['id']} is disputed already.", param="charge")
    return charge


@route("POST", "/_fake/disputes", auth="none")
def open_dispute(store: Store, call: Call):
    params = call.params
    forms.check_known(params, {"charge", "payment_intent", "amount", "reason", "status"})
    charge = _charge_of(store, params)
    left = charge["amount"] - charge["amount_refunded"]
    amount = forms.integer(params, "amount", minimum=1) or left
    if amount > left:
        raise invalid(f"A dispute can be for at most {left} (what is left unrefunded).", param="amount")
    created = now()
    dispute = {
        "id": store.new_id("dp"),
        "object": "dispute",
        "amount": amount,
        "balance_transactions": [],
        "charge": charge["id"],
        "created": created,
        "currency": charge["currency"],
        "evidence": {"customer_email_address": None, "product_description": None, "uncategorized_text": None},
        "evidence_details": {
            "due_by": created + EVIDENCE_DAYS * 86_400,
            "has_evidence": False,
            "past_due": False,
            "submission_count": 0,
        },
        "is_charge_refundable": True,
        "livemode": False,
        "metadata": {},
        "payment_intent": charge["payment_intent"],
        "payment_method_details": {"card": {"brand": "visa", "network_reason_code": "10.4"}, "type": "card"},
        "reason": forms.choice(params, "reason", REASONS, "general"),
        "status": forms.choice(params, "status", OPENING_STATUSES, "needs_response"),
    }
    store.add(dispute)
    previous = {"disputed": False, "dispute": None}
    charge["disputed"], charge["dispute"] = True, dispute["id"]
    store.emit("charge.dispute.created", dispute, call)
    _withdraw_if_chargeback(store, dispute, call)
    store.emit("charge.updated", charge, call, previous)
    return render(store, dispute)


def _open(store: Store, dispute_id: str) -> dict:
    dispute = store.require(dispute_id, "dispute")
    if dispute["status"] not in OPEN_STATUSES:
        raise invalid(f"Dispute {dispute_id} is closed ({dispute['status']}).", code="dispute_already_closed")
    return dispute


@route("POST", "/_fake/disputes/{dispute_id}", auth="none")
def update_dispute(store: Store, call: Call, dispute_id: str):
    forms.check_known(call.params, {"status"})
    dispute = _open(store, dispute_id)
    status = forms.choice(call.params, "status", OPEN_STATUSES)
    if status is None:
        raise forms.missing("status")
    before = {"status": dispute["status"]}
    dispute["status"] = status
    store.emit("charge.dispute.updated", dispute, call, changed(before, {"status": status}))
    _withdraw_if_chargeback(store, dispute, call)
    return render(store, dispute)


def _close(store: Store, call: Call, dispute: dict, outcome: str) -> dict:
    if outcome == "lost":
        if dispute["status"].startswith("warning_"):  # an inquiry lost is a chargeback first
            dispute["status"] = "needs_response"
        _withdraw_if_chargeback(store, dispute, call)
    elif dispute["balance_transactions"]:
        _adjustment(store, dispute, 1, "dispute_reversal")
        store.emit("charge.dispute.funds_reinstated", dispute, call)
    before = {"status": dispute["status"]}
    dispute["status"] = outcome
    store.emit("charge.dispute.closed", dispute, call, changed(before, {"status": outcome}))
    return render(store, dispute)


@route("POST", "/_fake/disputes/{dispute_id}/close", auth="none")
def decide_dispute(store: Store, call: Call, dispute_id: str):
    forms.check_known(call.params, {"outcome"})
    outcome = forms.choice(call.params, "outcome", ("won", "lost"))
    if outcome is None:
        raise forms.missing("outcome")
    return _close(store, call, _open(store, dispute_id), outcome)


@route("POST", "/v1/disputes/{dispute_id}/close")
def accept_dispute(store: Store, call: Call, dispute_id: str):
    """The merchant gives up (no evidence to submit): the dispute is lost, as on Stripe."""
    forms.check_known(call.params, set())
    return _close(store, call, _open(store, dispute_id), "lost")


@route("GET", "/v1/disputes/{dispute_id}")
def retrieve_dispute(store: Store, call: Call, dispute_id: str):
    return render(store, store.require(dispute_id, "dispute"))


@route("GET", "/v1/disputes")
def list_disputes(store: Store, call: Call):
    filters = {name: forms.text(call.params, name) for name in ("charge", "payment_intent")}
    return page(store, store.all("dispute", **filters), call, "/v1/disputes")
