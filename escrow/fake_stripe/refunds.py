"""Refunds of succeeded charges, with Stripe's partial-refund arithmetic: ``amount_refunded`` adds up,
``refunded`` turns true only once nothing is left, and asking for more than is left is refused.

As on Stripe, what was transferred to connected accounts does not limit a refund: the platform's
balance pays for it (reverse the transfers to get the money back)."""

from escrow.fake_stripe import forms
from escrow.fake_stripe.charges import balance_transaction, format_amount
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, expand_paths, now, page, render

CREATE_PARAMS = {
    "payment_intent",
    "charge",
    "amount",
    "metadata",
    "reason",
    "refund_application_fee",
    "reverse_transfer",
    "instructions_email",
}
REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def _charge_to_refund(store: Store, call: Call) -> dict:
    pi_id = forms.text(call.params, "payment_intent")
    charge_id = forms.text(call.params, "charge")
    if not pi_id and not charge_id:
        raise invalid(
            "One of the following params should be provided for this request: payment_intent or charge."
        )
    if pi_id:
        pi = store.require(pi_id, "payment_intent", label="payment_intent", param="payment_intent")
        if pi["status"] != "succeeded":
            raise invalid(
                f"This PaymentIntent ({pi_id}) does not have a successful charge to refund.",
                param="payment_intent",
            )
        if charge_id and charge_id != pi["latest_charge"]:
            raise invalid(
                f"The charge {charge_id} does not belong to the PaymentIntent {pi_id}.", param="charge"
            )
        charge_id = pi["latest_charge"]
    charge = store.require(charge_id, "charge", param="charge")
    if charge["status"] != "succeeded":
        raise invalid(
            f"Charge {charge['id']} has a status of {charge['status']} and cannot be refunded.",
            param="charge",
        )
    return charge


@route("POST", "/v1/refunds")
def create_refund(store: Store, call: Call):
    forms.check_known(call.params, CREATE_PARAMS)
    charge = _charge_to_refund(store, call)
    if forms.boolean(call.params, "reverse_transfer") or forms.boolean(call.params, "refund_application_fee"):
        raise invalid(
            "This charge has no destination transfer or application fee to reverse: it was not a "
            "destination charge.",
            param="reverse_transfer",
        )
    left = charge["amount"] - charge["amount_refunded"]
    if left == 0:
        raise invalid(f"Charge {charge['id']} has already been refunded.", code="charge_already_refunded")
    amount = forms.integer(call.params, "amount", minimum=1)
    if amount is None:
        amount = left
    if amount > left:
        raise invalid(
            f"Refund amount ({format_amount(amount, charge['currency'])}) is greater than unrefunded "
            f"amount on charge ({format_amount(left, charge['currency'])})",
            param="amount",
            code="amount_too_large",
        )
    refund_id = store.new_id("re")
    txn = balance_transaction(store, -amount, charge["currency"], "refund", refund_id)
    refund = {
        "id": refund_id,
        "object": "refund",
        "amount": amount,
        "balance_transaction": txn["id"],
        "charge": charge["id"],
        "created": now(),
        "currency": charge["currency"],
        "destination_details": {
            "card": {
                "reference_status": "pending",
                "reference_type": "acquirer_reference_number",
                "type": "refund",
            },
            "type": "card",
        },
        "metadata": forms.apply_metadata({}, call.params.get("metadata")),
        "payment_intent": charge["payment_intent"],
        "reason": forms.choice(call.params, "reason", REASONS),
        "receipt_number": None,
        "source_transfer_reversal": None,
        "status": "succeeded",
        "transfer_reversal": None,
    }
    store.add(refund)
    previous = {"amount_refunded": charge["amount_refunded"], "refunded": charge["refunded"]}
    charge["amount_refunded"] += amount
    charge["refunded"] = charge["amount_refunded"] == charge["amount"]
    store.emit("refund.created", refund, call)
    store.emit("charge.refunded", charge, call, previous)
    return render(store, refund, expand_paths(call))


@route("GET", "/v1/refunds/{refund_id}")
def retrieve_refund(store: Store, call: Call, refund_id: str):
    return render(store, store.require(refund_id, "refund"), expand_paths(call))


@route("POST", "/v1/refunds/{refund_id}")
def update_refund(store: Store, call: Call, refund_id: str):
    forms.check_known(call.params, {"metadata"})
    refund = store.require(refund_id, "refund")
    refund["metadata"] = forms.apply_metadata(refund["metadata"], call.params.get("metadata"))
    store.emit("refund.updated", refund, call)
    return render(store, refund, expand_paths(call))


@route("GET", "/v1/refunds")
def list_refunds(store: Store, call: Call):
    filters = {name: forms.text(call.params, name) for name in ("charge", "payment_intent")}
    return page(store, store.all("refund", **filters), call, "/v1/refunds")
