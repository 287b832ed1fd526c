"""Customers and card PaymentMethods (create, retrieve, attach, detach, list)."""

import datetime
from typing import Any

from escrow.fake_stripe import forms
from escrow.fake_stripe.cards import TEST_PAYMENT_METHODS, card_for, luhn_valid
from escrow.fake_stripe.errors import card_error, invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, changed, expand_paths, now, page, random_token, render

CUSTOMER_PARAMS = {"email", "name", "description", "phone", "metadata", "invoice_settings", "payment_method"}


def _billing_details(params: dict[str, Any]) -> dict[str, Any]:
    given = forms.mapping(params, "billing_details")
    address = given.get("address") if isinstance(given.get("address"), dict) else {}
    keys = ("city", "country", "line1", "line2", "postal_code", "state")
    return {
        "address": {key: address.get(key) or None for key in keys},
        "email": given.get("email") or None,
        "name": given.get("name") or None,
        "phone": given.get("phone") or None,
        "tax_id": None,
    }


def new_card_payment_method(store: Store, number: str, exp_month: int, exp_year: int, params: dict) -> dict:
    card = card_for(number)
    pm = {
        "id": store.new_id("pm"),
        "object": "payment_method",
        "allow_redisplay": "unspecified",
        "billing_details": _billing_details(params),
        "card": {
            "brand": card.brand,
            "checks": {"address_line1_check": None, "address_postal_code_check": None, "cvc_check": "pass"},
            "country": card.country,
            "display_brand": card.brand,
            "exp_month": exp_month,
            "exp_year": exp_year,
            "fingerprint": "fake" + number[-4:] + number[:4],
            "funding": card.funding,
            "generated_from": None,
            "last4": number[-4:],
            "networks": {"available": [card.brand], "preferred": None},
            "regulated_status": "unregulated",
            "three_d_secure_usage": {"supported": True},
            "wallet": None,
        },
        "created": now(),
        "customer": None,
        "livemode": False,
        "metadata": forms.apply_metadata({}, params.get("metadata")),
        "type": "card",
    }
    return store.add(pm, card=card, consumed=False, set_up=False)


def payment_method_from_card_params(store: Store, params: dict[str, Any], prefix: str = "") -> dict:
    """A card PaymentMethod from ``card[number]`` etc.; ``prefix`` names the nesting parameter in errors
    (``payment_method_data``)."""
    card = forms.mapping(params, "card")

    def name(field: str) -> str:
        return f"{prefix}[card][{field}]" if prefix else f"card[{field}]"

    number = "".join(str(card.get("number") or "").split())
    if not number:
        raise forms.missing(name("number"))
    if not luhn_valid(number):
        raise card_error("incorrect_number", "Your card number is incorrect.", param=name("number"))
    month = forms.integer(card, "exp_month")
    year = forms.integer(card, "exp_year")
    if month is None:
        raise forms.missing(name("exp_month"))
    if year is None:
        raise forms.missing(name("exp_year"))
    year = year + 2000 if year < 100 else year
    if not 1 <= month <= 12:
        raise card_error(
            "invalid_expiry_month",
            "Your card's expiration month is invalid.",
            param=name("exp_month"),
        )
    today = datetime.date.today()
    if (year, month) < (today.year, today.month):
        raise card_error(
            "invalid_expiry_year", "Your card's expiration year is invalid.", param=name("exp_year")
        )
    cvc = str(card.get("cvc") or "")
    if cvc and not (cvc.isdigit() and 3 <= len(cvc) <= 4):
        raise card_error("invalid_cvc", "Your card's security code is invalid.", param=name("cvc"))
    return new_card_payment_method(store, number, month, year, params)


def resolve_payment_method(store: Store, value: Any, *, param: str = "payment_method") -> dict:
    """A PaymentMethod by id; a documented test id (``pm_card_visa``...) creates a fresh one."""
    if isinstance(value, str) and value in TEST_PAYMENT_METHODS:
        year = datetime.date.today().year + 3
        return new_card_payment_method(store, TEST_PAYMENT_METHODS[value], 12, year, {})
    return store.require(value, "payment_method", label="PaymentMethod", param=param)


def refuse_consumed(store: Store, pm: dict) -> None:
    if store.hidden(pm["id"])["consumed"] and not pm["customer"]:
        raise invalid(
            "The provided PaymentMethod was previously used with a PaymentIntent without Customer "
            "attachment, shared with a connected account without Customer attachment, or was detached "
            "from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must "
            "attach it to a Customer first.",
            param="payment_method",
        )


def attach(store: Store, pm: dict, customer: dict, call: Call | None) -> None:
    if pm["customer"] == customer["id"]:
        return
    if pm["customer"]:
        raise invalid(
            "The payment method you provided has already been attached to a customer.",
            param="payment_method",
        )
    refuse_consumed(store, pm)
    card = store.hidden(pm["id"])["card"]
    if card.behaviour == "decline" and card.number != "4000000000000341":
        raise card_error(card.code, card.message, decline_code=card.decline_code)
    pm["customer"] = customer["id"]
    store.emit("payment_method.attached", pm, call)


# --- customers -----------------------------------------------------------------------------------


def _update_customer(store: Store, customer: dict, params: dict, call: Call) -> None:
    for name in ("email", "name", "description", "phone"):
        if name in params:
            customer[name] = forms.text(params, name)
    customer["metadata"] = forms.apply_metadata(customer["metadata"], params.get("metadata"))
    if params.get("payment_method"):
        attach(store, resolve_payment_method(store, params["payment_method"]), customer, call)
    settings = forms.mapping(params, "invoice_settings")
    if "default_payment_method" in settings:
        pm_id = settings["default_payment_method"] or None
        if pm_id:
            pm = store.get(pm_id, "payment_method")
            if pm is None or pm["customer"] != customer["id"]:
                raise invalid(
                    f"The customer does not have a payment method with the ID {pm_id}. The payment method "
                    "must be attached to the customer.",
                    param="invoice_settings[default_payment_method]",
                )
        customer["invoice_settings"]["default_payment_method"] = pm_id


@route("POST", "/v1/customers")
def create_customer(store: Store, call: Call):
    forms.check_known(call.params, CUSTOMER_PARAMS)
    customer = {
        "id": store.new_id("cus"),
        "object": "customer",
        "address": None,
        "balance": 0,
        "created": now(),
        "currency": None,
        "default_source": None,
        "delinquent": False,
        "description": None,
        "discount": None,
        "email": None,
        "invoice_prefix": random_token(8).upper(),
        "invoice_settings": {
            "custom_fields": None,
            "default_payment_method": None,
            "footer": None,
            "rendering_options": None,
        },
        "livemode": False,
        "metadata": {},
        "name": None,
        "phone": None,
        "preferred_locales": [],
        "shipping": None,
        "tax_exempt": "none",
        "test_clock": None,
    }
    store.add(customer)
    try:
        _update_customer(store, customer, call.params, call)
    except Exception:
        del store.objects[customer["id"]]  # a refused creation leaves nothing behind
        raise
    store.emit("customer.created", customer, call)
    return render(store, customer, expand_paths(call))


@route("GET", "/v1/customers/{customer_id}")
def retrieve_customer(store: Store, call: Call, customer_id: str):
    return render(store, store.require(customer_id, "customer"), expand_paths(call))


@route("POST", "/v1/customers/{customer_id}")
def update_customer(store: Store, call: Call, customer_id: str):
    forms.check_known(call.params, CUSTOMER_PARAMS)
    customer = store.require(customer_id, "customer")
    before = render(store, customer)
    _update_customer(store, customer, call.params, call)
    if changed(before, customer):
        store.emit("customer.updated", customer, call, changed(before, customer))
    return render(store, customer, expand_paths(call))


@route("GET", "/v1/customers")
def list_customers(store: Store, call: Call):
    email = call.params.get("email")
    return page(store, store.all("customer", email=email), call, "/v1/customers")


# --- payment methods -----------------------------------------------------------------------------


@route("POST", "/v1/payment_methods", auth="publishable")
def create_payment_method(store: Store, call: Call):
    forms.check_known(call.params, {"type", "card", "billing_details", "metadata", "allow_redisplay"})
    if forms.text(call.params, "type", required=True) != "card":
        raise invalid("The fake Stripe server only supports card PaymentMethods.", param="type")
    return render(store, payment_method_from_card_params(store, call.params))


@route("GET", "/v1/payment_methods/{pm_id}")
def retrieve_payment_method(store: Store, call: Call, pm_id: str):
    return render(store, resolve_payment_method(store, pm_id, param=None), expand_paths(call))


@route("POST", "/v1/payment_methods/{pm_id}")
def update_payment_method(store: Store, call: Call, pm_id: str):
    forms.check_known(call.params, {"metadata", "billing_details", "allow_redisplay"})
    pm = store.require(pm_id, "payment_method", label="PaymentMethod")
    pm["metadata"] = forms.apply_metadata(pm["metadata"], call.params.get("metadata"))
    if "billing_details" in call.params:
        pm["billing_details"] = _billing_details(call.params)
    store.emit("payment_method.updated", pm, call)
    return render(store, pm)


@route("POST", "/v1/payment_methods/{pm_id}/attach")
def attach_payment_method(store: Store, call: Call, pm_id: str):
    forms.check_known(call.params, {"customer"})
    customer_id = forms.text(call.params, "customer", required=True)
    customer = store.require(customer_id, "customer", param="customer")
    pm = resolve_payment_method(store, pm_id, param=None)
    attach(store, pm, customer, call)
    return render(store, pm, expand_paths(call))


@route("POST", "/v1/payment_methods/{pm_id}/detach")
def detach_payment_method(store: Store, call: Call, pm_id: str):
    forms.check_known(call.params, set())
    pm = store.require(pm_id, "payment_method", label="PaymentMethod")
    if not pm["customer"]:
        raise invalid(
            "The payment method you provided is not attached to a customer so detachment is impossible."
        )
    customer = store.get(pm["customer"], "customer")
    if customer and customer["invoice_settings"]["default_payment_method"] == pm["id"]:
        customer["invoice_settings"]["default_payment_method"] = None
    previous = {"customer": pm["customer"]}
    pm["customer"] = None
    store.hidden(pm["id"])["consumed"] = True
    store.emit("payment_method.detached", pm, call, previous)
    return render(store, pm)


def _list_payment_methods(store: Store, call: Call, customer_id: str | None, url: str):
    kind = forms.text(call.params, "type")
    if kind not in (None, "card"):
        return {"object": "list", "data": [], "has_more": False, "url": url}
    if customer_id is None:
        return {"object": "list", "data": [], "has_more": False, "url": url}
    store.require(customer_id, "customer", param="customer" if "customer" in call.params else None)
    return page(store, store.all("payment_method", customer=customer_id), call, url)


@route("GET", "/v1/payment_methods")
def list_payment_methods(store: Store, call: Call):
    return _list_payment_methods(store, call, forms.text(call.params, "customer"), "/v1/payment_methods")


@route("GET", "/v1/customers/{customer_id}/payment_methods")
def list_customer_payment_methods(store: Store, call: Call, customer_id: str):
    return _list_payment_methods(store, call, customer_id, f"/v1/customers/{customer_id}/payment_methods")


@route("GET", "/v1/customers/{customer_id}/payment_methods/{pm_id}")
def retrieve_customer_payment_method(store: Store, call: Call, customer_id: str, pm_id: str):
    store.require(customer_id, "customer")
    pm = store.require(pm_id, "payment_method", label="PaymentMethod")
    if pm["customer"] != customer_id:
        raise invalid(f"No such PaymentMethod: '{pm_id}'", code="resource_missing", param="payment_method")
    return render(store, pm, expand_paths(call))
