"""Charges, balance transactions and the platform balance, plus the money helpers they share.

The platform balance is the sum of its balance transactions' ``net`` per currency: charges add their
amount less a 2.9% + 30 fee, refunds and transfers take their amount out, reversals bring it back.
Funds are available at once (the fake has no pending period).
"""

from typing import Any

from escrow.fake_stripe import forms
from escrow.fake_stripe.cards import Card
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, expand_paths, now, page, render

ZERO_DECIMAL = {
    "bif",
    "clp",
    "djf",
    "gnf",
    "jpy",
    "kmf",
    "krw",
    "mga",
    "pyg",
    "rwf",
    "ugx",
    "vnd",
    "vuv",
    "xaf",
}
CURRENCIES = {
    "usd",
    "eur",
    "gbp",
    "cad",
    "aud",
    "chf",
    "nzd",
    "sek",
    "nok",
    "dkk",
    "pln",
    "czk",
    "huf",
    "ron",
}
CURRENCIES |= {"bgn", "sgd", "hkd", "jpy", "mxn", "brl", "inr", "zar", "aed", "ils", "try", "thb", "myr"}
# https://docs.stripe.com/currencies#minimum-and-maximum-charge-amounts (the common ones)
MINIMUM_AMOUNTS = {"usd": 50, "eur": 50, "gbp": 30, "cad": 50, "aud": 50, "chf": 50, "nzd": 50, "jpy": 50}
MINIMUM_AMOUNTS |= {"sek": 300, "nok": 300, "dkk": 250, "pln": 200, "czk": 1500, "huf": 17500, "sgd": 50}
# "The amount value supports up to eight digits (e.g., a value of 99999999 for a USD charge of
# $999,999.99)" — the same docs page.
MAXIMUM_AMOUNT = 99_999_999
SYMBOLS = {"usd": "$", "cad": "$", "aud": "$", "nzd": "$", "sgd": "$", "hkd": "$", "eur": "€", "gbp": "£"}


def currency_param(params: dict[str, Any], name: str = "currency") -> str:
    value = forms.text(params, name, required=True).lower()
    if value not in CURRENCIES:
        supported = ", ".join(f"`{code}`" for code in sorted(CURRENCIES))
        raise invalid(
            f"Invalid currency: {value}. Stripe currently supports these currencies: {supported}", param=name
        )
    return value


def format_amount(amount: int, currency: str) -> str:
    """Stripe's way of quoting an amount in messages: ``$12.34``."""
    major = f"{amount:,}" if currency in ZERO_DECIMAL else f"{amount / 100:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{major}" if symbol else f"{major} {currency.upper()}"


def check_amount(amount: int, currency: str) -> None:
    """Stripe's smallest charge per currency (``amount_too_small``) and its largest (``amount_too_large``)."""
    minimum = MINIMUM_AMOUNTS.get(currency, 1)
    if amount < minimum:
        raise invalid(
            f"Amount must be at least {format_amount(minimum, currency)} {currency}",
            param="amount",
            code="amount_too_small",
        )
    if amount > MAXIMUM_AMOUNT:
        raise invalid(
            f"Amount must be no more than {format_amount(MAXIMUM_AMOUNT, currency)}",
            param="amount",
            code="amount_too_large",
        )


def balance_transaction(store: Store, amount: int, currency: str, kind: str, source: str, fee: int = 0):
    created = now()
    txn = {
        "id": store.new_id("txn"),
        "object": "balance_transaction",
        "amount": amount,
        "available_on": created,
        "created": created,
        "currency": currency,
        "description": None,
        "exchange_rate": None,
        "fee": fee,
        "fee_details": [
            {
                "amount": fee,
                "application": None,
                "currency": currency,
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ]
        if fee
        else [],
        "net": amount - fee,
        "reporting_category": {"transfer_reversal": "transfer_reversal"}.get(kind, kind),
        "source": source,
        "status": "available",
        "type": kind,
    }
    return store.add(txn)


def create_charge(store: Store, pi: dict, pm: dict, call: Call | None, failure: Card | None = None) -> dict:
    """The Charge of a confirmation attempt: ``succeeded``, or ``failed`` with the decline's codes."""
    card = pm["card"]
    charge_id = store.new_id("ch")
    succeeded = failure is None
    txn = None
    if succeeded:
        fee = round(pi["amount"] * 0.029) + 30
        txn = balance_transaction(store, pi["amount"], pi["currency"], "charge", charge_id, fee)["id"]
    charge = {
        "id": charge_id,
        "object": "charge",
        "amount": pi["amount"],
        "amount_captured": pi["amount"] if succeeded else 0,
        "amount_refunded": 0,
        "application": None,
        "application_fee": None,
        "application_fee_amount": None,
        "balance_transaction": txn,
        "billing_details": pm["billing_details"],
        "calculated_statement_descriptor": "FAKE STRIPE",
        "captured": succeeded,
        "created": now(),
        "currency": pi["currency"],
        "customer": pi["customer"],
        "description": pi["description"],
        "destination": None,
        "dispute": None,
        "disputed": False,
        "failure_balance_transaction": None,
        "failure_code": failure.code if failure else None,
        "failure_message": failure.message if failure else None,
        "fraud_details": {},
        "livemode": False,
        "metadata": dict(pi["metadata"]),
        "on_behalf_of": None,
        "outcome": {
            "network_status": "approved_by_network" if succeeded else "declined_by_network",
            "reason": failure.decline_code if failure else None,
            "risk_level": "normal",
            "risk_score": 20,
            "seller_message": "Payment complete."
            if succeeded
            else "The bank did not return any further details with this decline.",
            "type": "authorized" if succeeded else "issuer_declined",
        },
        "paid": succeeded,
        "payment_intent": pi["id"],
        "payment_method": pm["id"],
        "payment_method_details": {
            "card": {
                key: card[key]
                for key in (
                    "brand",
                    "checks",
                    "country",
                    "exp_month",
                    "exp_year",
                    "fingerprint",
                    "funding",
                    "last4",
                    "network_token",
                    "wallet",
                )
                if key in card
            }
            | {"network": card["brand"], "three_d_secure": None},
            "type": "card",
        },
        "receipt_email": None,
        "receipt_number": None,
        "receipt_url": f"{call.base_url if call else ''}/_fake/receipts/{charge_id}",
        "refunded": False,
        "review": None,
        "shipping": None,
        "source_transfer": None,
        "statement_descriptor": None,
        "statement_descriptor_suffix": None,
        "status": "succeeded" if succeeded else "failed",
        "transfer_data": None,
        "transfer_group": pi["transfer_group"],
    }
    store.add(charge)
    store.emit("charge.succeeded" if succeeded else "charge.failed", charge, call)
    return charge


def transferred_from(store: Store, charge: dict) -> int:
    """What transfers took from a charge, less what their reversals brought back."""
    transfers = store.all("transfer", source_transaction=charge["id"])
    return sum(transfer["amount"] - transfer["amount_reversed"] for transfer in transfers)


def platform_balance(store: Store) -> dict[str, int]:
    totals: dict[str, int] = {}
    for txn in store.all("balance_transaction"):
        totals[txn["currency"]] = totals.get(txn["currency"], 0) + txn["net"]
    return totals


@route("GET", "/v1/charges/{charge_id}")
def retrieve_charge(store: Store, call: Call, charge_id: str):
    return render(store, store.require(charge_id, "charge"), expand_paths(call))


@route("POST", "/v1/charges/{charge_id}")
def update_charge(store: Store, call: Call, charge_id: str):
    forms.check_known(call.params, {"metadata", "description"})
    charge = store.require(charge_id, "charge")
    charge["metadata"] = forms.apply_metadata(charge["metadata"], call.params.get("metadata"))
    if "description" in call.params:
        charge["description"] = forms.text(call.params, "description")
    store.emit("charge.updated", charge, call)
    return render(store, charge, expand_paths(call))


@route("GET", "/v1/charges")
def list_charges(store: Store, call: Call):
    filters = {
        name: forms.text(call.params, name) for name in ("payment_intent", "customer", "transfer_group")
    }
    return page(store, store.all("charge", **filters), call, "/v1/charges")


@route("GET", "/v1/balance_transactions/{txn_id}")
def retrieve_balance_transaction(store: Store, call: Call, txn_id: str):
    return render(store, store.require(txn_id, "balance_transaction"), expand_paths(call))


@route("GET", "/v1/balance_transactions")
def list_balance_transactions(store: Store, call: Call):
    filters = {name: forms.text(call.params, name) for name in ("type", "source", "currency")}
    return page(store, store.all("balance_transaction", **filters), call, "/v1/balance_transactions")


@route("GET", "/v1/balance")
def retrieve_balance(store: Store, call: Call):
    totals = platform_balance(store) or {"usd": 0}
    return {
        "object": "balance",
        "available": [
            {"amount": amount, "currency": currency, "source_types": {"card": amount}}
            for currency, amount in sorted(totals.items())
        ],
        "livemode": False,
        "pending": [
            {"amount": 0, "currency": currency, "source_types": {"card": 0}} for currency in sorted(totals)
        ],
    }
