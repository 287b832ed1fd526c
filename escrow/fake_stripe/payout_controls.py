"""Fake-only controls for what happens to outgoing money after the API call, which tests and the demo
cannot do through Stripe's API:

- ``POST /_fake/accounts/<id>/external_account`` (``last4``): the account holder replaces the bank
  account payouts go to (as in the Express dashboard); ``account.updated`` follows.
- ``POST /_fake/refunds/<id>/fail`` (``failure_reason``): a succeeded refund fails later, as a card
  refund does when the card was closed: its amount comes back to the platform's balance and off the
  charge's ``amount_refunded``; ``refund.updated`` and ``charge.refund.updated`` follow.
"""

import copy

from escrow.fake_stripe import forms
from escrow.fake_stripe.charges import balance_transaction
from escrow.fake_stripe.connect import emit_account_updated, set_bank_account
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, render

FAILURE_REASONS = ("expired_or_canceled_card", "lost_or_stolen_card", "unknown")


@route("POST", "/_fake/accounts/{account_id}/external_account", auth="none")
def change_external_account(store: Store, call: Call, account_id: str):
    account = store.require(account_id, "account")
    if not account["details_submitted"]:
        raise invalid("This account has not completed onboarding; open an account link first.")
    last4 = forms.text(call.params, "last4") or "1116"
    before = copy.deepcopy(account)
    set_bank_account(account, last4[-4:])
    emit_account_updated(store, account, before, call)
    return render(store, account)


@route("POST", "/_fake/refunds/{refund_id}/fail", auth="none")
def fail_refund(store: Store, call: Call, refund_id: str):
    refund = store.require(refund_id, "refund")
    if refund["status"] != "succeeded":
        raise invalid(f"Refund {refund_id} is {refund['status']}; only a succeeded refund can fail.")
    reason = forms.choice(call.params, "failure_reason", FAILURE_REASONS, "expired_or_canceled_card")
    charge = store.require(refund["charge"], "charge")
    txn = balance_transaction(store, refund["amount"], refund["currency"], "refund_failure", refund_id)
    previous = {"status": refund["status"]}
    refund.update(status="failed", failure_reason=reason, failure_balance_transaction=txn["id"])
    charge["amount_refunded"] -= refund["amount"]
    charge["refunded"] = False
    store.emit("refund.updated", refund, call, previous)
    store.emit("charge.refund.updated", refund, call, previous)
    return render(store, refund)
