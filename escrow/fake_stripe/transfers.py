"""Transfers to connected accounts and their reversals, refused where Stripe refuses them:

- a destination that does not exist (``resource_missing``) or whose ``transfers`` capability is not
  active (``insufficient_capabilities_for_transfer``);
- with ``source_transaction``: a currency other than the charge's, or more than the charge has left
  (its amount, less what was refunded and what transfers took from it, plus what their reversals brought
  back) — ``balance_insufficient``;
- without it: more than the platform's available balance in that currency — ``balance_insufficient``;
- reversing more than what is left of the transfer.
"""

from escrow.fake_stripe import forms
from escrow.fake_stripe.charges import (
    balance_transaction,
    currency_param,
    format_amount,
    platform_balance,
    transferred_from,
)
from escrow.fake_stripe.errors import invalid, no_such
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, expand_paths, now, page, render

CREATE_PARAMS = {
    "amount",
    "currency",
    "destination",
    "source_transaction",
    "transfer_group",
    "metadata",
    "description",
    "source_type",
}
TRANSFER_CAPABILITIES = ("transfers", "crypto_transfers", "legacy_payments")


def _check_destination(store: Store, destination: str) -> None:
    account = store.get(destination, "account")
    if account is None:
        raise no_such("destination", destination, param="destination")
    if not any(account["capabilities"].get(name) == "active" for name in TRANSFER_CAPABILITIES):
        raise invalid(
            "Your destination account needs to have at least one of the following capabilities enabled: "
            "transfers, crypto_transfers, legacy_payments",
            param="destination",
            code="insufficient_capabilities_for_transfer",
        )


def _check_funds(store: Store, amount: int, currency: str, source: str | None) -> None:
    if source:
        charge = store.require(source, "charge", param="source_transaction")
        if charge["status"] != "succeeded":
            raise invalid(
                f"The source_transaction {source} has a status of {charge['status']}; only a "
                "succeeded charge can fund a transfer.",
                param="source_transaction",
            )
        if charge["currency"] != currency:
            raise invalid(
                f"The currency of source_transaction's balance transaction ({charge['currency']}) must be "
                f"the same as the transfer currency ({currency}).",
                param="currency",
            )
        left = charge["amount"] - charge["amount_refunded"] - transferred_from(store, charge)
        if amount > left:
            raise invalid(
                f"Insufficient funds from source_transaction {source}: the transfer amount "
                f"({format_amount(amount, currency)}) is greater than what is left of the charge "
                f"({format_amount(max(left, 0), currency)}: its amount, less refunds and other transfers "
                "from it).",
                param="amount",
                code="balance_insufficient",
            )
        return
    if amount > platform_balance(store).get(currency, 0):
        raise invalid(
            "You have insufficient available funds in your Stripe account. Try adding funds directly to your "
            "available balance by creating Charges using the 4000000000000077 test card. See: "
            "https://stripe.com/docs/testing#available-balance",
            code="balance_insufficient",
        )


@route("POST", "/v1/transfers")
def create_transfer(store: Store, call: Call):
    params = call.params
    forms.check_known(params, CREATE_PARAMS)
    amount = forms.integer(params, "amount", required=True, minimum=1)
    currency = currency_param(params)
    destination = forms.text(params, "destination", required=True)
    _check_destination(store, destination)
    source = forms.text(params, "source_transaction")
    _check_funds(store, amount, currency, source)
    transfer_id = store.new_id("tr")
    txn = balance_transaction(store, -amount, currency, "transfer", transfer_id)
    transfer = {
        "id": transfer_id,
        "object": "transfer",
        "amount": amount,
        "amount_reversed": 0,
        "balance_transaction": txn["id"],
        "created": now(),
        "currency": currency,
        "description": forms.text(params, "description"),
        "destination": destination,
        "destination_payment": store.new_id("py"),
        "livemode": False,
        "metadata": forms.apply_metadata({}, params.get("metadata")),
        "reversals": {
            "object": "list",
            "data": [],
            "has_more": False,
            "total_count": 0,
            "url": f"/v1/transfers/{transfer_id}/reversals",
        },
        "reversed": False,
        "source_transaction": source,
        "source_type": "card",
        "transfer_group": forms.text(params, "transfer_group"),
    }
    store.add(transfer)
    store.emit("transfer.created", transfer, call)
    return render(store, transfer, expand_paths(call))


@route("GET", "/v1/transfers/{transfer_id}")
def retrieve_transfer(store: Store, call: Call, transfer_id: str):
    return render(store, store.require(transfer_id, "transfer"), expand_paths(call))


@route("POST", "/v1/transfers/{transfer_id}")
def update_transfer(store: Store, call: Call, transfer_id: str):
    forms.check_known(call.params, {"metadata", "description"})
    transfer = store.require(transfer_id, "transfer")
    transfer["metadata"] = forms.apply_metadata(transfer["metadata"], call.params.get("metadata"))
    if "description" in call.params:
        transfer["description"] = forms.text(call.params, "description")
    store.emit("transfer.updated", transfer, call)
    return render(store, transfer, expand_paths(call))


@route("GET", "/v1/transfers")
def list_transfers(store: Store, call: Call):
    filters = {name: forms.text(call.params, name) for name in ("destination", "transfer_group")}
    return page(store, store.all("transfer", **filters), call, "/v1/transfers")


@route("POST", "/v1/transfers/{transfer_id}/reversals")
def create_reversal(store: Store, call: Call, transfer_id: str):
    forms.check_known(call.params, {"amount", "description", "metadata", "refund_application_fee"})
    transfer = store.require(transfer_id, "transfer")
    left = transfer["amount"] - transfer["amount_reversed"]
    if left == 0:
        raise invalid(f"Transfer {transfer_id} has already been fully reversed.", param="amount")
    amount = forms.integer(call.params, "amount", minimum=1)
    amount = left if amount is None else amount
    if amount > left:
        raise invalid(
            f"You have attempted to reverse more than the amount remaining on the transfer: "
            f"{format_amount(amount, transfer['currency'])} is greater than the "
            f"{format_amount(left, transfer['currency'])} that is left to reverse on {transfer_id}.",
            param="amount",
        )
    reversal_id = store.new_id("trr")
    txn = balance_transaction(store, amount, transfer["currency"], "transfer_refund", reversal_id)
    reversal = {
        "id": reversal_id,
        "object": "transfer_reversal",
        "amount": amount,
        "balance_transaction": txn["id"],
        "created": now(),
        "currency": transfer["currency"],
        "destination_payment_refund": store.new_id("pyr"),
        "metadata": forms.apply_metadata({}, call.params.get("metadata")),
        "source_refund": None,
        "transfer": transfer_id,
    }
    store.add(reversal)
    previous = {"amount_reversed": transfer["amount_reversed"], "reversed": transfer["reversed"]}
    transfer["amount_reversed"] += amount
    transfer["reversed"] = transfer["amount_reversed"] == transfer["amount"]
    transfer["reversals"]["data"].insert(0, dict(reversal))
    transfer["reversals"]["total_count"] += 1
    store.emit("transfer.reversed", transfer, call, previous)
    return render(store, reversal, expand_paths(call))


@route("GET", "/v1/transfers/{transfer_id}/reversals")
def list_reversals(store: Store, call: Call, transfer_id: str):
    store.require(transfer_id, "transfer")
    items = store.all("transfer_reversal", transfer=transfer_id)
    return page(store, items, call, f"/v1/transfers/{transfer_id}/reversals")


@route("GET", "/v1/transfers/{transfer_id}/reversals/{reversal_id}")
def retrieve_reversal(store: Store, call: Call, transfer_id: str, reversal_id: str):
    reversal = store.require(reversal_id, "transfer_reversal")
    if reversal["transfer"] != transfer_id:
        raise no_such("transfer_reversal", reversal_id)
    return render(store, reversal, expand_paths(call))
