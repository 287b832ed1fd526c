"""The payment processor gateway: the only module that imports ``stripe``.

It uses the official library's ``StripeClient`` with automatic retries off (our retry task repeats
a call with the same idempotency key instead, so nothing is ever done twice) and answers with plain
dicts, never Stripe objects. Errors become the four exceptions below, so callers decide by kind:
a declined card, a refusal that will not change on a retry, a processor that did not answer
(repeat later with the same key), or a webhook whose signature does not verify.

``STRIPE_API_BASE`` points the client at the local fake Stripe (dev and tests); unset, it talks
to Stripe itself.
"""

import functools
from typing import Any

import stripe
from django.conf import settings


class GatewayError(Exception):
    def __init__(self, message: str, *, code: str = "", decline_code: str = "", payload: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.decline_code = decline_code
        self.payload = payload or {}


class CardDeclined(GatewayError):
    """The card was refused; ``message`` is the processor's reason, fit to show the payer."""


class ProcessorRefused(GatewayError):
    """The processor refused the request itself; repeating it will not help."""


class ProcessorUnavailable(GatewayError):
    """No usable answer (network, timeout, 5xx, rate limit): repeat later with the same key."""


class BadSignature(Exception):
    pass


@functools.cache
def _client(api_key: str, api_base: str, timeout: float) -> stripe.StripeClient:
    bases = {"api": api_base, "connect": api_base, "files": api_base} if api_base else None
    return stripe.StripeClient(
        api_key,
        base_addresses=bases,
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, settings.STRIPE_TIMEOUT_SECONDS)


def _call(method, params: dict, *, idempotency_key: str | None = None) -> dict[str, Any]:
    options = {"idempotency_key": idempotency_key} if idempotency_key else None
    try:
        result = method(params, options) if options else method(params)
    except stripe.CardError as error:
        body = error.json_body.get("error", {}) if isinstance(error.json_body, dict) else {}
        raise CardDeclined(
            error.user_message or str(error),
            code=error.code or "",
            decline_code=body.get("decline_code", ""),
            payload=body.get("payment_intent") or {},
        ) from error
    except (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError) as error:
        raise ProcessorUnavailable(str(error.user_message or error), code=error.code or "") from error
    except stripe.StripeError as error:
        if error.http_status is not None and error.http_status >= 500:
            raise ProcessorUnavailable(str(error.user_message or error), code=error.code or "") from error
        raise ProcessorRefused(str(error.user_message or error), code=error.code or "") from error
    return result.to_dict()


def _metadata(metadata: dict) -> dict[str, str]:
    return {key: str(value) for key, value in metadata.items()}


def create_customer(*, email: str, name: str, metadata: dict, idempotency_key: str) -> dict:
    params = {"email": email, "name": name, "metadata": _metadata(metadata)}
    return _call(client().v1.customers.create, params, idempotency_key=idempotency_key)


def create_payment_intent(
    *,
    amount_minor: int,
    currency: str,
    customer_id: str,
    transfer_group: str,
    description: str,
    metadata: dict,
    idempotency_key: str,
) -> dict:
    params = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "customer": customer_id,
        "transfer_group": transfer_group,
        "description": description,
        "payment_method_types": ["card"],
        "metadata": _metadata(metadata),
    }
    return _call(client().v1.payment_intents.create, params, idempotency_key=idempotency_key)


def retrieve_payment_intent(payment_intent_id: str) -> dict:
    method = functools.partial(client().v1.payment_intents.retrieve, payment_intent_id)
    return _call(method, {"expand": ["latest_charge", "payment_method"]})


def list_cards(customer_id: str) -> list[dict]:
    method = functools.partial(client().v1.customers.payment_methods.list, customer_id)
    return _call(method, {"type": "card", "limit": 20})["data"]


def create_refund(*, payment_intent_id: str, amount_minor: int, metadata: dict, idempotency_key: str) -> dict:
    params = {"payment_intent": payment_intent_id, "amount": amount_minor, "metadata": _metadata(metadata)}
    return _call(client().v1.refunds.create, params, idempotency_key=idempotency_key)


def create_transfer(
    *,
    amount_minor: int,
    currency: str,
    destination: str,
    source_transaction: str,
    transfer_group: str,
    metadata: dict,
    idempotency_key: str,
) -> dict:
    params = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "destination": destination,
        "source_transaction": source_transaction,
        "transfer_group": transfer_group,
        "metadata": _metadata(metadata),
    }
    return _call(client().v1.transfers.create, params, idempotency_key=idempotency_key)


def create_account(*, email: str, country: str, metadata: dict, idempotency_key: str) -> dict:
    params = {
        "type": "express",
        "country": country,
        "email": email,
        "capabilities": {"transfers": {"requested": True}},
        "metadata": _metadata(metadata),
    }
    return _call(client().v1.accounts.create, params, idempotency_key=idempotency_key)


def create_account_link(*, account_id: str, refresh_url: str, return_url: str, idempotency_key: str) -> dict:
    params = {
        "account": account_id,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "type": "account_onboarding",
    }
    return _call(client().v1.account_links.create, params, idempotency_key=idempotency_key)


def retrieve_account(account_id: str) -> dict:
    return _call(functools.partial(client().v1.accounts.retrieve, account_id), {})


def parse_webhook(payload: bytes, signature: str) -> dict:
    """The event, once its signature verifies with ``STRIPE_WEBHOOK_SECRET``."""
    try:
        event = stripe.Webhook.construct_event(payload, signature or "", settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    return event.to_dict()
