"""PaymentIntent routes: create, retrieve, update, confirm, cancel, list, and the fake-only 3-D Secure
completion that the stand-in Stripe.js calls (the state machine is in ``confirmation``)."""

import secrets

from escrow.fake_stripe import forms
from escrow.fake_stripe.charges import check_amount, currency_param
from escrow.fake_stripe.confirmation import (
    CONFIRMABLE,
    answer,
    authenticate,
    check_client_secret,
    confirm,
    use_payment_method,
)
from escrow.fake_stripe.errors import invalid
from escrow.fake_stripe.routes import route
from escrow.fake_stripe.store import Call, Store, now, page

CREATE_PARAMS = forms.words(
    """amount currency customer payment_method payment_method_data confirm off_session
    setup_future_usage transfer_group metadata description payment_method_types
    automatic_payment_methods capture_method confirmation_method receipt_email return_url
    statement_descriptor statement_descriptor_suffix error_on_requires_action use_stripe_sdk"""
)
CONFIRM_PARAMS = forms.words(
    """payment_method payment_method_data off_session setup_future_usage return_url receipt_email
    error_on_requires_action use_stripe_sdk client_secret key expected_payment_method_type
    mandate_data save_payment_method"""
)
UPDATE_PARAMS = forms.words(
    """amount currency customer description metadata payment_method receipt_email setup_future_usage
    transfer_group statement_descriptor"""
)
CANCELABLE = ("requires_payment_method", "requires_capture", "requires_confirmation", "requires_action")
CANCELABLE += ("processing",)


@route("POST", "/v1/payment_intents")
def create_payment_intent(store: Store, call: Call):
    params = call.params
    forms.check_known(params, CREATE_PARAMS)
    amount = forms.integer(params, "amount", required=True, minimum=1)
    currency = currency_param(params)
    check_amount(amount, currency)
    customer = forms.text(params, "customer")
    if customer:
        store.require(customer, "customer", param="customer")
    types = forms.string_list(params, "payment_method_types")
    apm_given = forms.mapping(params, "automatic_payment_methods")
    if types and apm_given:
        raise invalid(
            "You may only specify one of these parameters: automatic_payment_methods, payment_method_types.",
            param="automatic_payment_methods",
        )
    for kind in types:
        if kind != "card":
            raise invalid(
                f'The payment method type "{kind}" is invalid. The fake Stripe server supports "card" only.',
                param="payment_method_types",
            )
    apm = None
    if not types:  # Since API version 2023-08-16, automatic payment methods are on by default.
        enabled = forms.boolean(apm_given, "enabled", True)
        redirects = forms.choice(apm_given, "allow_redirects", ("always", "never"), "always")
        apm = {"enabled": True, "allow_redirects": redirects} if enabled else None
    capture = forms.choice(
        params, "capture_method", ("automatic", "automatic_async", "manual"), "automatic_async"
    )
    if capture == "manual":
        raise invalid(
            "The fake Stripe server does not support capture_method=manual.", param="capture_method"
        )
    forms.choice(params, "confirmation_method", ("automatic",))
    pi_id = store.new_id("pi")
    pi = {
        "id": pi_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_capturable": 0,
        "amount_details": {"tip": {}},
        "amount_received": 0,
        "application": None,
        "application_fee_amount": None,
        "automatic_payment_methods": apm,
        "canceled_at": None,
        "cancellation_reason": None,
        "capture_method": capture,
        "client_secret": f"{pi_id}_secret_{secrets.token_urlsafe(18)}",
        "confirmation_method": "automatic",
        "created": now(),
        "currency": currency,
        "customer": customer,
        "description": forms.text(params, "description"),
        "last_payment_error": None,
        "latest_charge": None,
        "livemode": False,
        "metadata": forms.apply_metadata({}, params.get("metadata")),
        "next_action": None,
        "on_behalf_of": None,
        "payment_method": None,
        "payment_method_configuration_details": None,
        "payment_method_options": {
            "card": {
                "installments": None,
                "mandate_options": None,
                "network": None,
                "request_three_d_secure": "automatic",
            }
        },
        "payment_method_types": types or ["card"],
        "processing": None,
        "receipt_email": forms.text(params, "receipt_email"),
        "review": None,
        "setup_future_usage": forms.choice(params, "setup_future_usage", ("on_session", "off_session")),
        "shipping": None,
        "source": None,
        "statement_descriptor": forms.text(params, "statement_descriptor"),
        "statement_descriptor_suffix": None,
        "status": "requires_payment_method",
        "transfer_data": None,
        "transfer_group": forms.text(params, "transfer_group"),
    }
    confirming = forms.boolean(params, "confirm")
    if forms.boolean(params, "off_session") and not confirming:
        raise invalid("You can only pass `off_session` when `confirm` is true.", param="off_session")
    use_payment_method(store, pi, params, call)
    store.add(pi, off_session=False, return_url=None)
    if pi["payment_method"]:
        pi["status"] = "requires_confirmation"
    store.emit("payment_intent.created", pi, call)
    if confirming:
        confirm(store, pi, {key: params[key] for key in CONFIRM_PARAMS & params.keys()}, call)
    return answer(store, pi, call)


@route("GET", "/v1/payment_intents/{pi_id}", auth="publishable")
def retrieve_payment_intent(store: Store, call: Call, pi_id: str):
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    check_client_secret(pi, call)
    return answer(store, pi, call)


@route("POST", "/v1/payment_intents/{pi_id}")
def update_payment_intent(store: Store, call: Call, pi_id: str):
    params = call.params
    forms.check_known(params, UPDATE_PARAMS)
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    if ({"amount", "currency", "payment_method", "customer"} & params.keys()) and pi[
        "status"
    ] not in CONFIRMABLE:
        raise invalid(
            f"This PaymentIntent's amount, currency, customer or payment_method could not be updated "
            f"because it has a status of {pi['status']}.",
            code="payment_intent_unexpected_state",
        )
    if "amount" in params:
        pi["amount"] = forms.integer(params, "amount", required=True, minimum=1)
    if "currency" in params:
        pi["currency"] = currency_param(params)
    check_amount(pi["amount"], pi["currency"])
    if "customer" in params:
        pi["customer"] = store.require(params["customer"], "customer", param="customer")["id"]
    for name in ("description", "receipt_email", "transfer_group", "statement_descriptor"):
        if name in params:
            pi[name] = forms.text(params, name)
    if "setup_future_usage" in params:
        pi["setup_future_usage"] = forms.choice(params, "setup_future_usage", ("on_session", "off_session"))
    pi["metadata"] = forms.apply_metadata(pi["metadata"], params.get("metadata"))
    use_payment_method(store, pi, params, call)
    return answer(store, pi, call)


@route("POST", "/v1/payment_intents/{pi_id}/confirm", auth="publishable")
def confirm_payment_intent(store: Store, call: Call, pi_id: str):
    forms.check_known(call.params, CONFIRM_PARAMS)
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    check_client_secret(pi, call)
    confirm(store, pi, call.params, call)
    return answer(store, pi, call)


@route("POST", "/v1/payment_intents/{pi_id}/cancel")
def cancel_payment_intent(store: Store, call: Call, pi_id: str):
    forms.check_known(call.params, {"cancellation_reason"})
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    if pi["status"] not in CANCELABLE:
        raise invalid(
            f"You cannot cancel this PaymentIntent because it has a status of {pi['status']}. Only a "
            f"PaymentIntent with one of the following statuses may be canceled: {', '.join(CANCELABLE)}.",
            code="payment_intent_unexpected_state",
        )
    reasons = ("duplicate", "fraudulent", "requested_by_customer", "abandoned")
    pi["cancellation_reason"] = forms.choice(call.params, "cancellation_reason", reasons)
    pi.update(status="canceled", canceled_at=now(), next_action=None)
    store.emit("payment_intent.canceled", pi, call)
    return answer(store, pi, call)


@route("GET", "/v1/payment_intents")
def list_payment_intents(store: Store, call: Call):
    customer = forms.text(call.params, "customer")
    return page(store, store.all("payment_intent", customer=customer), call, "/v1/payment_intents")


@route("POST", "/_fake/payment_intents/{pi_id}/authenticate", auth="none")
def authenticate_payment_intent(store: Store, call: Call, pi_id: str):
    outcome = forms.choice(call.params, "outcome", ("succeed", "fail"), "succeed")
    pi = store.require(pi_id, "payment_intent", label="payment_intent")
    if call.params.get("client_secret"):
        call.key_kind = "publishable"
        check_client_secret(pi, call)
    authenticate(store, pi, outcome, call)
    return answer(store, pi, call)
