"""The payment processor gateway: the only module that imports ``stripe``.

It uses the official library's ``StripeClient`` with automatic retries off (our retry task repeats
a call with the same idempotency key instead, so nothing is ever done twice) and answers with the
small frozen dataclasses below, holding only the fields escrow reads: no Stripe object, and no
Stripe dict shape, leaves this module. Errors become the five exceptions below, so callers decide
by kind: a declined card, a refusal that will not change on a retry, a processor that did not
answer (repeat later with the same key), a webhook whose signature does not verify, or a signed
webhook that is not an event.

The idempotency keys callers pass are built in ``escrow.idempotency``.

``STRIPE_API_BASE`` points the client at the local fake Stripe (dev and tests); unset, it talks
to Stripe itself.
"""

import contextlib
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import stripe
from django.conf import settings

from marketplace.core import json_nesting

from . import idempotency

# --- what the processor answers ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Created:
    """An object the processor made, of which escrow keeps the id: a customer, a Connect account,
    a transfer or a refund."""

    id: str


@dataclass(frozen=True, slots=True)
class Card:
    """A card payment method: a payer's saved card, or the card that paid a PaymentIntent."""

    id: str
    brand: str
    last4: str
    exp_month: int
    exp_year: int

    @property
    def exp(self) -> str:
        """``MM/YY``."""
        return f"{self.exp_month:02d}/{self.exp_year % 100:02d}"


@dataclass(frozen=True, slots=True)
class PaymentError:
    """Why the last attempt to pay a PaymentIntent failed (either may be empty)."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ProcessorFee:
    """What the processor kept of a charge: the fee of its balance transaction (in that
    transaction's currency, the platform's settlement currency)."""

    balance_transaction_id: str
    amount_minor: int
    currency: str  # upper case


@dataclass(frozen=True, slots=True)
class PaymentIntent:
    id: str
    status: str
    amount_minor: int
    currency: str  # upper case, as our rows keep it
    client_secret: str
    charge_id: str = ""  # the latest charge's id, once there is one
    card: Card | None = None  # the payment method, when it is a card and was expanded
    last_error: PaymentError | None = None  # current: a new attempt clears it
    fee: ProcessorFee | None = None  # once paid, when the latest charge was expanded with its balance
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"

    @property
    def canceled(self) -> bool:
        """Cancelled at the processor (by staff, or by Stripe): it can never be paid."""
        return self.status == "canceled"


@dataclass(frozen=True, slots=True)
class Account:
    """A Connect account's state as the processor has it now."""

    id: str
    details_submitted: bool
    payouts_enabled: bool
    transfers_active: bool
    external_account: str = ""  # the id of the bank account payouts go to ("" before onboarding)


@dataclass(frozen=True, slots=True)
class AccountLink:
    url: str


@dataclass(frozen=True, slots=True)
class Dispute:
    """A cardholder's dispute of a charge (a chargeback, or an inquiry while ``status`` starts with
    ``warning_``). ``withdrawn_minor`` / ``fee_minor``: what the processor took from the platform's
    balance for it (the disputed amount, its dispute fee); ``reinstated_minor``: what it gave back
    (amount and fee, when won)."""

    id: str
    charge_id: str
    payment_intent_id: str
    amount_minor: int
    currency: str
    reason: str
    status: str
    withdrawn_minor: int = 0
    fee_minor: int = 0
    reinstated_minor: int = 0

    @property
    def closed(self) -> bool:
        return self.status in ("won", "lost")


@dataclass(frozen=True, slots=True)
class EventObject:
    """The object an event is about, as far as escrow reads it: its id, its status (refunds) and the
    metadata escrow put on it (ids of our rows, as strings)."""

    id: str
    status: str = ""
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class Listed:
    """A money-moving object as the reconciliation reads it from the processor's lists: a
    PaymentIntent, refund, transfer, balance transaction or dispute (``kind``, Stripe's object name)."""

    kind: str
    id: str
    amount_minor: int
    currency: str  # upper case
    status: str  # "" for transfers, which have none
    created: int  # Unix time
    metadata: Mapping[str, str] = field(default_factory=dict, hash=False)
    reversed_minor: int = 0  # transfers: what reversals brought back
    fee_minor: int = 0  # balance transactions: the processor's fee
    source: str = ""  # refunds, disputes: the PaymentIntent; balance transactions: the charge, refund...
    type: str = ""  # balance transactions: charge, refund, transfer, adjustment...


def _listed(kind: str, data: Mapping[str, Any]) -> Listed:
    source = data.get("payment_intent") if kind in ("refund", "dispute") else data.get("source")
    return Listed(
        kind=kind,
        id=data["id"],
        amount_minor=data["amount"],
        currency=data["currency"].upper(),
        status=data.get("status") or "",
        created=data["created"],
        metadata={str(key): str(value) for key, value in (data.get("metadata") or {}).items()},
        reversed_minor=data.get("amount_reversed") or 0,
        fee_minor=data.get("fee") or 0,
        source=(source.get("id") if isinstance(source, Mapping) else source) or "",
        type=data.get("type") or "",
    )


@dataclass(frozen=True, slots=True)
class Event:
    """A verified processor event. ``payload`` is the event as received, kept opaque: it is what
    escrow stores, and ``event_from_payload`` reads a stored one back."""

    id: str
    type: str
    object: EventObject
    payload: Mapping[str, Any] = field(repr=False, compare=False, hash=False)


def _card(method: Any) -> Card | None:
    card = method.get("card") if isinstance(method, Mapping) else None
    if not card:
        return None
    return Card(
        id=method.get("id") or "",
        brand=card.get("brand") or "",
        last4=card.get("last4") or "",
        exp_month=int(card.get("exp_month") or 0),
        exp_year=int(card.get("exp_year") or 0),
    )


def _fee(charge: Any) -> ProcessorFee | None:
    txn = charge.get("balance_transaction") if isinstance(charge, Mapping) else None
    if not isinstance(txn, Mapping):  # not expanded, or no money moved (a failed charge)
        return None
    return ProcessorFee(
        balance_transaction_id=txn["id"],
        amount_minor=int(txn.get("fee") or 0),
        currency=txn["currency"].upper(),
    )


def _payment_intent(data: Mapping[str, Any]) -> PaymentIntent:
    latest = data.get("latest_charge")  # an id, or the charge when expanded
    error = data.get("last_payment_error")
    return PaymentIntent(
        id=data["id"],
        status=data.get("status") or "",
        amount_minor=data["amount"],
        currency=data["currency"].upper(),
        client_secret=data.get("client_secret") or "",
        charge_id=_id_of(latest),
        card=_card(data.get("payment_method")),
        last_error=(
            PaymentError(code=error.get("code") or "", message=error.get("message") or "") if error else None
        ),
        fee=_fee(latest),
        metadata=_str_metadata(data.get("metadata")),
    )


def _dispute(data: Mapping[str, Any]) -> Dispute:
    moves = [txn for txn in data.get("balance_transactions") or [] if isinstance(txn, Mapping)]
    taken = [txn for txn in moves if int(txn.get("amount") or 0) < 0]
    given = [txn for txn in moves if int(txn.get("net") or 0) > 0]
    return Dispute(
        id=data["id"],
        charge_id=_id_of(data.get("charge")),
        payment_intent_id=_id_of(data.get("payment_intent")),
        amount_minor=int(data["amount"]),
        currency=data["currency"].upper(),
        reason=data.get("reason") or "",
        status=data.get("status") or "",
        withdrawn_minor=-sum(int(txn["amount"]) for txn in taken),
        fee_minor=sum(int(txn.get("fee") or 0) for txn in taken),
        reinstated_minor=sum(int(txn["net"]) for txn in given),
    )


def _id_of(value: Any) -> str:
    """An object's id, whether the field holds the id or the expanded object."""
    return (value.get("id") or "") if isinstance(value, Mapping) else value or ""


def _str_metadata(metadata: Any) -> dict[str, str]:
    if not isinstance(metadata, Mapping):
        return {}
    return {str(key): str(value) for key, value in metadata.items() if value is not None}


def event_from_payload(payload: Any) -> Event:
    """The event of a payload (as ``parse_webhook`` received it, or stored); ``NotAnEvent`` when it is
    not an object with a string ``id`` and ``type`` whose ``data.object`` and metadata are objects."""
    if not isinstance(payload, Mapping):
        raise NotAnEvent("The payload is not an event object.")
    event_id, event_type = payload.get("id"), payload.get("type")
    if not (isinstance(event_id, str) and event_id and isinstance(event_type, str) and event_type):
        raise NotAnEvent("The event has no id or type.")
    data = payload.get("data") or {}
    obj = (data.get("object") or {}) if isinstance(data, Mapping) else None
    metadata = (obj.get("metadata") or {}) if isinstance(obj, Mapping) else None
    if not isinstance(metadata, Mapping):
        raise NotAnEvent("The event's data.object (or its metadata) is not an object.")
    return Event(
        id=event_id,
        type=event_type,
        object=EventObject(
            id=str(obj.get("id") or ""),
            status=str(obj.get("status") or ""),
            metadata=_str_metadata(metadata),
        ),
        payload=payload,
    )


# --- errors ------------------------------------------------------------------------------------------


class GatewayError(Exception):
    def __init__(self, message: str, *, code: str = "", decline_code: str = "", payment_intent_id: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code
        self.decline_code = decline_code
        # A card error while confirming a PaymentIntent: that PaymentIntent (it stays, unpaid).
        self.payment_intent_id = payment_intent_id


class CardDeclined(GatewayError):
    """The card was refused; ``message`` is the processor's reason, fit to show the payer."""


class ProcessorRefused(GatewayError):
    """The processor refused the request itself; repeating it will not help."""


class ProcessorUnavailable(GatewayError):
    """No usable answer (network, timeout, 5xx, rate limit, the key in use by a request still
    running): repeat later with the same key."""


class ProcessorFailed(ProcessorUnavailable):
    """The processor answered 500. It keeps that answer under the request's idempotency key and
    replays it for a day, so repeating the key cannot help: look the object up (it may exist
    anyway), and otherwise make the request again under a new key."""


class BadSignature(Exception):
    pass


class NotAnEvent(Exception):
    """A webhook whose signature verifies but whose body is not an event object."""


# --- calls -------------------------------------------------------------------------------------------


@functools.cache
def _client(api_key: str, api_base: str, timeout: float, version: str) -> stripe.StripeClient:
    bases = {"api": api_base, "connect": api_base, "files": api_base} if api_base else None
    return stripe.StripeClient(
        api_key,
        base_addresses=bases,
        stripe_version=version,
        max_network_retries=0,
        http_client=stripe.RequestsClient(timeout=timeout),
    )


def client() -> stripe.StripeClient:
    """The library's client on ``STRIPE_API_VERSION``: the shapes this module reads are that
    version's, whatever the account's default or the library's own pin."""
    return _client(
        settings.STRIPE_SECRET_KEY,
        settings.STRIPE_API_BASE,
        settings.STRIPE_TIMEOUT_SECONDS,
        settings.STRIPE_API_VERSION,
    )


def _call(method, params: dict, *, idempotency_key: str | None = None) -> dict[str, Any]:
    options = {"idempotency_key": idempotency_key} if idempotency_key else None
    with _translated_errors():
        result = method(params, options) if options else method(params)
    return result.to_dict()


@contextlib.contextmanager
def _translated_errors() -> Iterator[None]:
    """The library's errors as the gateway's own kinds."""
    try:
        yield
    except stripe.CardError as error:
        body = error.json_body.get("error", {}) if isinstance(error.json_body, dict) else {}
        raise CardDeclined(
            error.user_message or str(error),
            code=error.code or "",
            decline_code=body.get("decline_code", ""),
            payment_intent_id=_id_of(body.get("payment_intent")),
        ) from error
    except stripe.APIError as error:
        kind = ProcessorFailed if error.http_status == 500 else ProcessorUnavailable
        raise kind(str(error.user_message or error), code=error.code or "") from error
    except (stripe.APIConnectionError, stripe.RateLimitError) as error:
        raise ProcessorUnavailable(str(error.user_message or error), code=error.code or "") from error
    except stripe.StripeError as error:
        if error.http_status is not None and error.http_status >= 500:
            raise ProcessorUnavailable(str(error.user_message or error), code=error.code or "") from error
        raise ProcessorRefused(str(error.user_message or error), code=error.code or "") from error


MADE_UNDER = "idempotency_key"  # the metadata entry naming the request that made an object


def _metadata(metadata: dict, idempotency_key: str) -> dict[str, str]:
    """Our metadata, and the key of the request: the one object made under it is found by it
    (``find_*``) after the processor answered that request with a 500. A key stored before keys
    had a random part was first sent without it, and a repeat must send the same parameters."""
    ours = {key: str(value) for key, value in metadata.items()}
    if idempotency.base_of(idempotency_key) == idempotency_key:
        return ours
    return ours | {MADE_UNDER: idempotency_key}


def _created(data: Mapping[str, Any]) -> Created:
    return Created(id=data["id"])


def create_customer(*, email: str, name: str, metadata: dict, idempotency_key: str) -> Created:
    params = {"email": email, "name": name, "metadata": _metadata(metadata, idempotency_key)}
    return _created(_call(client().v1.customers.create, params, idempotency_key=idempotency_key))


def create_payment_intent(
    *,
    amount_minor: int,
    currency: str,
    customer_id: str,
    transfer_group: str,
    description: str,
    metadata: dict,
    idempotency_key: str,
    off_session_card: str = "",
) -> PaymentIntent:
    """A PaymentIntent the payer's browser confirms; or, with ``off_session_card`` (a saved card's
    payment method id), one confirmed at once without the payer (``confirm``, ``off_session``): it
    answers succeeded, or raises ``CardDeclined`` (``authentication_required`` included) whose
    ``payment_intent_id`` names the PaymentIntent left waiting for another card."""
    params = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "customer": customer_id,
        "transfer_group": transfer_group,
        "description": description,
        "payment_method_types": ["card"],
        "metadata": _metadata(metadata, idempotency_key),
    }
    if off_session_card:
        params |= {"payment_method": off_session_card, "confirm": True, "off_session": True}
    made = _call(client().v1.payment_intents.create, params, idempotency_key=idempotency_key)
    return _payment_intent(made)


def retrieve_payment_intent(payment_intent_id: str) -> PaymentIntent:
    """The PaymentIntent with its latest charge (and the charge's balance transaction, for the
    processor's fee) and its payment method."""
    method = functools.partial(client().v1.payment_intents.retrieve, payment_intent_id)
    expand = ["latest_charge.balance_transaction", "payment_method"]
    return _payment_intent(_call(method, {"expand": expand}))


# --- looking up an object made under a key whose answer was a 500 ------------------------------------
# Stripe's lists, filtered by what each offers and then by our metadata: lists read what was just
# written (its search API may lag by a minute, so it is not used here).

LOOKUP_PAGES = 10  # of 100: a payer's, contract's or charge's objects are far fewer


def _find(method, params: dict, idempotency_key: str) -> dict[str, Any] | None:
    params = {"limit": 100, **params}
    for _ in range(LOOKUP_PAGES):
        page = _call(method, params)
        for item in page["data"]:
            if (item.get("metadata") or {}).get(MADE_UNDER) == idempotency_key:
                return item
        if not page.get("has_more") or not page["data"]:
            return None
        params["starting_after"] = page["data"][-1]["id"]
    return None


def find_payment_intent(*, customer_id: str, idempotency_key: str) -> PaymentIntent | None:
    """The customer's PaymentIntent made under this key, if the processor made one."""
    found = _find(client().v1.payment_intents.list, {"customer": customer_id}, idempotency_key)
    return _payment_intent(found) if found else None


def find_customer(*, email: str, idempotency_key: str) -> Created | None:
    found = _find(client().v1.customers.list, {"email": email}, idempotency_key)
    return _created(found) if found else None


def find_transfer(*, transfer_group: str, idempotency_key: str) -> Created | None:
    found = _find(client().v1.transfers.list, {"transfer_group": transfer_group}, idempotency_key)
    return _created(found) if found else None


def find_refund(*, payment_intent_id: str, idempotency_key: str) -> Created | None:
    found = _find(client().v1.refunds.list, {"payment_intent": payment_intent_id}, idempotency_key)
    return _created(found) if found else None


def find_account(*, created_since: int, idempotency_key: str) -> Created | None:
    """A Connect account made since this Unix time (accounts are listed by creation only)."""
    found = _find(client().v1.accounts.list, {"created": {"gte": created_since}}, idempotency_key)
    return _created(found) if found else None


def list_cards(customer_id: str) -> list[Card]:
    method = functools.partial(client().v1.customers.payment_methods.list, customer_id)
    methods = _call(method, {"type": "card", "limit": 20})["data"]
    return [card for card in map(_card, methods) if card is not None]


def create_refund(
    *, payment_intent_id: str, amount_minor: int, metadata: dict, idempotency_key: str
) -> Created:
    params = {
        "payment_intent": payment_intent_id,
        "amount": amount_minor,
        "metadata": _metadata(metadata, idempotency_key),
    }
    return _created(_call(client().v1.refunds.create, params, idempotency_key=idempotency_key))


def create_transfer(
    *,
    amount_minor: int,
    currency: str,
    destination: str,
    source_transaction: str,
    transfer_group: str,
    metadata: dict,
    idempotency_key: str,
) -> Created:
    params = {
        "amount": amount_minor,
        "currency": currency.lower(),
        "destination": destination,
        "source_transaction": source_transaction,
        "transfer_group": transfer_group,
        "metadata": _metadata(metadata, idempotency_key),
    }
    return _created(_call(client().v1.transfers.create, params, idempotency_key=idempotency_key))


def create_account(*, email: str, country: str, metadata: dict, idempotency_key: str) -> Created:
    params = {
        "type": "express",
        "country": country,
        "email": email,
        "capabilities": {"transfers": {"requested": True}},
        "metadata": _metadata(metadata, idempotency_key),
    }
    return _created(_call(client().v1.accounts.create, params, idempotency_key=idempotency_key))


def create_account_link(
    *, account_id: str, refresh_url: str, return_url: str, idempotency_key: str
) -> AccountLink:
    params = {
        "account": account_id,
        "refresh_url": refresh_url,
        "return_url": return_url,
        "type": "account_onboarding",
    }
    made = _call(client().v1.account_links.create, params, idempotency_key=idempotency_key)
    return AccountLink(url=made["url"])


def retrieve_account(account_id: str) -> Account:
    data = _call(functools.partial(client().v1.accounts.retrieve, account_id), {})
    capabilities = data.get("capabilities") or {}
    return Account(
        id=data["id"],
        details_submitted=bool(data.get("details_submitted")),
        payouts_enabled=bool(data.get("payouts_enabled")),
        transfers_active=capabilities.get("transfers") == "active",
        external_account=_default_external_account(data.get("external_accounts")),
    )


def retrieve_dispute(dispute_id: str) -> Dispute:
    return _dispute(_call(functools.partial(client().v1.disputes.retrieve, dispute_id), {}))


def _default_external_account(accounts: Any) -> str:
    """The external account payouts go to: the one marked default for its currency, else the first."""
    items = (accounts.get("data") or []) if isinstance(accounts, Mapping) else []
    chosen = next((item for item in items if item.get("default_for_currency")), items[0] if items else None)
    return (chosen or {}).get("id") or ""


def parse_webhook(payload: bytes, signature: str) -> Event:
    """The event, once its signature verifies with ``STRIPE_WEBHOOK_SECRET`` (``BadSignature``) and
    its body is an event object (``NotAnEvent``: the library's own parsing fails on a signed list,
    string or event without a type in ways it does not document)."""
    try:
        stripe.WebhookSignature.verify_header(
            payload, signature or "", settings.STRIPE_WEBHOOK_SECRET, stripe.Webhook.DEFAULT_TOLERANCE
        )
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    if json_nesting.nested_deeper_than(payload):
        raise NotAnEvent(json_nesting.MESSAGE)
    try:
        data = json.loads(payload)
    except ValueError as error:
        raise NotAnEvent("The payload is not JSON.") from error
    return event_from_payload(data)


# --- reading outgoing money back (escrow/services/recovery.py) ---------------------------------------


@dataclass(frozen=True, slots=True)
class TransferState:
    """A transfer as the processor has it: what ``transfer.created`` is checked against."""

    id: str
    amount_minor: int
    currency: str  # upper case
    destination: str
    transfer_group: str


@dataclass(frozen=True, slots=True)
class RefundState:
    id: str
    status: str  # pending, succeeded, failed, canceled, requires_action
    amount_minor: int
    failure_reason: str = ""


def retrieve_transfer(transfer_id: str) -> TransferState:
    data = _call(functools.partial(client().v1.transfers.retrieve, transfer_id), {})
    return TransferState(
        id=data["id"],
        amount_minor=data["amount"],
        currency=data["currency"].upper(),
        destination=data.get("destination") or "",
        transfer_group=data.get("transfer_group") or "",
    )


def retrieve_refund(refund_id: str) -> RefundState:
    data = _call(functools.partial(client().v1.refunds.retrieve, refund_id), {})
    return RefundState(
        id=data["id"],
        status=data.get("status") or "",
        amount_minor=data["amount"],
        failure_reason=data.get("failure_reason") or "",
    )


# --- listings (the reconciliation) -------------------------------------------------------------------

LISTED_KINDS = {
    "payment_intent": "payment_intents",
    "refund": "refunds",
    "transfer": "transfers",
    "balance_transaction": "balance_transactions",
    "dispute": "disputes",
}


def list_objects(kind: str, *, created_gte: int, created_lte: int, page_size: int = 100) -> Iterator[Listed]:
    """Every ``kind`` object (a key of ``LISTED_KINDS``) created in the window, newest first, read a
    page at a time through the library's auto-paging: memory holds one page, whatever the count."""
    service = getattr(client().v1, LISTED_KINDS[kind])
    params = {"created": {"gte": created_gte, "lte": created_lte}, "limit": page_size}
    with _translated_errors():
        for item in service.list(params).auto_paging_iter():
            yield _listed(kind, item.to_dict())


def retrieve_object(kind: str, object_id: str) -> Listed | None:
    """One object of ``kind``, or None when the processor has no such object."""
    service = getattr(client().v1, LISTED_KINDS[kind])
    try:
        return _listed(kind, _call(functools.partial(service.retrieve, object_id), {}))
    except ProcessorRefused as error:
        if error.code == "resource_missing":
            return None
        raise
