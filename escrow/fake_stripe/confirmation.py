"""The PaymentIntent state machine: confirmation with the test cards' outcomes (success, declines,
3-D Secure, off-session ``authentication_required``), saved cards, and the 3-D Secure completion."""

import copy

from escrow.fake_stripe import forms
from escrow.fake_stripe.cards import AUTHENTICATING, Card
from escrow.fake_stripe.charges import create_charge
from escrow.fake_stripe.customers import (
    attach,
    payment_method_from_card_params,
    refuse_consumed,
    resolve_payment_method,
)
from escrow.fake_stripe.errors import DOCS, StripeError, authentication, card_error, invalid
from escrow.fake_stripe.store import Call, Store, expand_paths, render

# What Stripe answers to a publishable key (Stripe.js) about a PaymentIntent.
PUBLIC_FIELDS = forms.words(
    """id object amount amount_details automatic_payment_methods canceled_at cancellation_reason
    capture_method client_secret confirmation_method created currency description last_payment_error
    livemode next_action payment_method payment_method_types processing receipt_email
    setup_future_usage shipping status"""
)
CONFIRMABLE = ("requires_confirmation", "requires_payment_method", "requires_action")
AUTHENTICATION_FAILED = (
    "The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new "
    "PaymentMethod to attempt to fulfill this PaymentIntent again."
)
REDIRECTS_NEED_RETURN_URL = (
    "This PaymentIntent is configured to accept payment methods enabled in your Dashboard, some of which may "
    "require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, "
    "set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to "
    "`never` when creating Setup Intents and Payment Intents. If you wish to accept redirect-based payment "
    "methods, set `return_url` when confirming."
)


def public_view(pi: dict) -> dict:
    return {key: copy.deepcopy(value) for key, value in pi.items() if key in PUBLIC_FIELDS}


def check_client_secret(pi: dict, call: Call) -> None:
    """A publishable key may act on an intent only with its client secret (as Stripe.js does)."""
    if call.key_kind != "publishable":
        return
    given = call.params.get("client_secret")
    if not given:
        raise authentication(
            "This API call cannot be made with a publishable API key. Please use a secret API key. You can "
            "find a list of your API keys at https://dashboard.stripe.com/account/apikeys."
        )
    if given != pi["client_secret"]:
        raise invalid(
            "The client_secret provided does not match the client_secret associated with the PaymentIntent.",
            param="client_secret",
        )


def answer(store: Store, pi: dict, call: Call) -> dict:
    if call.key_kind == "publishable":
        return public_view(pi)
    return render(store, pi, expand_paths(call))


def use_payment_method(store: Store, pi: dict, params: dict, call: Call) -> None:
    if params.get("payment_method_data"):
        data = forms.mapping(params, "payment_method_data")
        pm = payment_method_from_card_params(store, data, "payment_method_data")
    elif params.get("payment_method"):
        pm = resolve_payment_method(store, params["payment_method"])
    else:
        return
    refuse_consumed(store, pm)
    if pm["customer"] and pm["customer"] != pi["customer"]:
        raise invalid(
            f"The provided PaymentMethod belongs to a Customer ({pm['customer']}) that is not the Customer "
            "of this PaymentIntent. Pass that Customer in the `customer` parameter to use it.",
            param="payment_method",
        )
    pi["payment_method"] = pm["id"]


def _fail(
    store: Store,
    pi: dict,
    pm: dict,
    call: Call | None,
    card: Card,
    code: str,
    decline: str | None,
    message: str,
) -> StripeError:
    charge = create_charge(
        store, pi, pm, call, Card(card.number, card.brand, "decline", code, decline, message)
    )
    pi["latest_charge"] = charge["id"]
    pi["status"] = "requires_payment_method"
    pi["payment_method"] = None
    pi["next_action"] = None
    pi["last_payment_error"] = {
        "charge": charge["id"],
        "code": code,
        "decline_code": decline,
        "doc_url": DOCS + code.replace("_", "-"),
        "message": message,
        "payment_method": copy.deepcopy(pm),
        "type": "card_error",
    }
    store.emit("payment_intent.payment_failed", pi, call)
    shown = public_view(pi) if call and call.key_kind == "publishable" else render(store, pi)
    return card_error(
        code,
        message,
        decline_code=decline,
        charge=charge["id"],
        payment_intent=shown,
        payment_method=copy.deepcopy(pm),
    )


def _succeed(store: Store, pi: dict, pm: dict, call: Call | None) -> None:
    charge = create_charge(store, pi, pm, call)
    hidden = store.hidden(pm["id"])
    if pi["setup_future_usage"]:
        hidden["set_up"] = True
        if pi["customer"] and not pm["customer"]:
            attach(store, pm, store.require(pi["customer"], "customer"), call)
    if not pm["customer"]:
        hidden["consumed"] = True
    pi.update(
        status="succeeded",
        amount_received=pi["amount"],
        latest_charge=charge["id"],
        next_action=None,
        last_payment_error=None,
    )
    store.emit("payment_intent.succeeded", pi, call)


def confirm(store: Store, pi: dict, params: dict, call: Call) -> None:
    if pi["status"] not in CONFIRMABLE:
        raise invalid(
            f"You cannot confirm this PaymentIntent because it has a status of {pi['status']}. Only a "
            "PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, "
            "requires_payment_method, requires_action.",
            code="payment_intent_unexpected_state",
        )
    use_payment_method(store, pi, params, call)
    if not pi["payment_method"]:
        raise invalid(
            "You cannot confirm this PaymentIntent because it's missing a payment method. You can either "
            "update the PaymentIntent with a payment method and then confirm it again, or confirm it again "
            "directly with a payment method.",
            code="payment_intent_unexpected_state",
        )
    hidden = store.hidden(pi["id"])
    hidden["off_session"] = forms.boolean(params, "off_session", hidden.get("off_session", False))
    if params.get("setup_future_usage"):
        pi["setup_future_usage"] = forms.choice(params, "setup_future_usage", ("on_session", "off_session"))
    return_url = forms.text(params, "return_url") or hidden.get("return_url")
    apm = pi["automatic_payment_methods"]
    if call.key_kind == "secret" and apm and apm["allow_redirects"] != "never" and not return_url:
        raise invalid(REDIRECTS_NEED_RETURN_URL)
    hidden["return_url"] = return_url
    pm = store.require(pi["payment_method"], "payment_method")
    card = store.hidden(pm["id"])["card"]
    if card.behaviour in AUTHENTICATING:
        set_up = store.hidden(pm["id"])["set_up"]
        if not (card.behaviour == "authenticate_unless_setup" and hidden["off_session"] and set_up):
            if hidden["off_session"] or forms.boolean(params, "error_on_requires_action"):
                raise _fail(
                    store,
                    pi,
                    pm,
                    call,
                    card,
                    "authentication_required",
                    "authentication_required",
                    "Your card was declined. This transaction requires authentication.",
                )
            _require_action(store, pi, call, return_url)
            return
    if card.behaviour == "decline":
        raise _fail(store, pi, pm, call, card, card.code, card.decline_code, card.message)
    _succeed(store, pi, pm, call)


def _require_action(store: Store, pi: dict, call: Call, return_url: str | None) -> None:
    url = f"{call.base_url}/_fake/3ds/{pi['id']}?client_secret={pi['client_secret']}"
    if return_url:
        pi["next_action"] = {
            "type": "redirect_to_url",
            "redirect_to_url": {"return_url": return_url, "url": url},
        }
    else:
        source = store.new_id("src")
        pi["next_action"] = {
            "type": "use_stripe_sdk",
            "use_stripe_sdk": {"type": "three_d_secure_redirect", "stripe_js": url, "source": source},
        }
    pi["status"] = "requires_action"
    store.emit("payment_intent.requires_action", pi, call)


def authenticate(store: Store, pi: dict, outcome: str, call: Call | None) -> None:
    """Complete (``succeed``) or fail the 3-D Secure step of a ``requires_action`` intent."""
    if pi["status"] != "requires_action":
        raise invalid(
            f"This PaymentIntent has a status of {pi['status']}; only a PaymentIntent that requires_action "
            "can be authenticated.",
            code="payment_intent_unexpected_state",
        )
    pm = store.require(pi["payment_method"], "payment_method")
    if outcome == "succeed":
        _succeed(store, pi, pm, call)
        return
    pi.update(status="requires_payment_method", payment_method=None, next_action=None)
    pi["last_payment_error"] = {
        "code": "payment_intent_authentication_failure",
        "doc_url": DOCS + "payment-intent-authentication-failure",
        "message": AUTHENTICATION_FAILED,
        "payment_method": copy.deepcopy(pm),
        "type": "invalid_request_error",
    }
    store.emit("payment_intent.payment_failed", pi, call)
