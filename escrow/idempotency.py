"""Every idempotency key escrow sends to the payment processor, built in one place.

A key is made once, when the intent row that will be sent under it is made, and stored on that
row: a retry after a crash or a timeout repeats the call with the row's key, which the processor
answers with the object it made the first time. A key is its row's name (``charge-hold-42``, for
people reading the processor's logs) and a random part (``charge-hold-42.Xq3…``): ids alone would
repeat in another installation sharing the processor account, or in this one restored from a
backup, and the processor would answer a new row with another row's object.

Rows stored before keys had a random part keep theirs (the processor may still replay them);
``rotated`` gives a row a new key with the same name, for a new request after the processor kept
an answer that will not change under the old one (a refusal, or a 500).
"""

import secrets

SEPARATOR = "."  # never in a name (names are words, digits and dashes) nor in the random part


def _made(name: str) -> str:
    return f"{name}{SEPARATOR}{secrets.token_urlsafe(16)}"


def base_of(key: str) -> str:
    """The row's name in a key (the whole key of a row stored before keys had a random part)."""
    return key.split(SEPARATOR, 1)[0]


def rotated(key: str) -> str:
    """A new key for the same row."""
    return _made(base_of(key))


def customer_key(user_id: int) -> str:
    """The payer's processor customer (one per user)."""
    return _made(f"customer-user-{user_id}")


def account_key(user_id: int) -> str:
    """The payee's Connect account (one per user)."""
    return _made(f"account-user-{user_id}")


def account_link_key(account_pk: int, links_created: int) -> str:
    """The ``links_created``-th onboarding link of a connected account row (links expire, so each
    request for one is a new call)."""
    return _made(f"account-link-{account_pk}-{links_created}")


def charge_key(hold_id: int) -> str:
    """A PaymentIntent that funds a hold (one at a time per hold: a new one after a cancelled one)."""
    return _made(f"charge-hold-{hold_id}")


OFF_SESSION_SUFFIX = "-off-session"


def off_session_charge_key(hold_id: int) -> str:
    """A PaymentIntent that funds a hold from the payer's saved card without them (confirmed at
    once, off session): named apart, so the retry sweep repeats it as the same request."""
    return _made(f"charge-hold-{hold_id}{OFF_SESSION_SUFFIX}")


def is_off_session(key: str) -> bool:
    return base_of(key).endswith(OFF_SESSION_SUFFIX)


def transfer_key(settlement_id: int, attempt: int | None = None) -> str:
    """The transfer of a release. ``attempt`` is given only for a new request after the processor
    refused the earlier one (it replays a refusal for the same key): the row's failed attempts."""
    if attempt is None:
        return _made(f"transfer-settlement-{settlement_id}")
    return _made(f"transfer-settlement-{settlement_id}-{attempt}")


def refund_key(settlement_id: int, attempt: int | None = None) -> str:
    """The refund of a refund settlement. ``attempt`` is given only for a new request after the
    processor refused (or failed) the earlier one: the row's attempts so far."""
    if attempt is None:
        return _made(f"refund-settlement-{settlement_id}")
    return _made(f"refund-settlement-{settlement_id}-{attempt}")
